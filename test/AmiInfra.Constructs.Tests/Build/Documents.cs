using AmiInfra.Constructs.Build;

namespace AmiInfra.Constructs.Tests.Build;

/// <summary>AWSTOE component documents the Build tests share.</summary>
internal static class Documents
{
    public const string Hardening = """
        name: golden-hardening
        description: Hardens the build per the CIS benchmark
        schemaVersion: 1.0
        parameters:
          - Level:
              type: string
              default: "1"
              description: CIS level
        phases:
          - name: build
            steps:
              - name: Harden
                action: ExecuteBash
                inputs:
                  commands:
                    - echo "hardening at level {{ Level }}"
          - name: validate
            steps:
              - name: Check
                action: ExecuteBash
                inputs:
                  commands:
                    - test -f /etc/motd
        """;

    /// <summary><see cref="Hardening"/> with one command changed.</summary>
    public static readonly string HardeningEdited = Hardening.Replace("test -f /etc/motd", "test -s /etc/motd", StringComparison.Ordinal);

    public const string Baseline = """
        name: golden-baseline
        schemaVersion: 1.0
        parameters:
          - Channel:
              type: string
              default: stable
        phases:
          - name: build
            steps:
              - name: Update
                action: UpdateOS
              - name: Channel
                action: CreateFile
                inputs:
                  - path: /etc/golden-channel
                    content: "{{ Channel }}"
              - name: Restart
                action: Reboot
        """;

    public static ComponentDocument Parse(string text, string source = "test.yaml") => ComponentDocument.Parse(text, source);
}
