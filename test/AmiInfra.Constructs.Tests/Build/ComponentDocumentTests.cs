using AmiInfra.Constructs.Build;

namespace AmiInfra.Constructs.Tests.Build;

/// <summary>AWSTOE document checks: plain C#, no CDK.</summary>
public sealed class ComponentDocumentTests
{
    private static ConstructValidationException Rejected(string text) =>
        Assert.Throws<ConstructValidationException>(() => ComponentDocument.Parse(text, "doc.yaml"));

    private static string WithBuildSteps(string steps) => $"""
        name: doc
        schemaVersion: 1.0
        phases:
          - name: build
            steps:
        {steps}
        """;

    [Fact]
    public void Accepts_a_document_and_keeps_its_name_description_phases_and_text()
    {
        var document = Documents.Parse(Documents.Hardening, "hardening.yaml");

        Assert.Equal("golden-hardening", document.Name);
        Assert.Equal("Hardens the build per the CIS benchmark", document.Description);
        Assert.Equal(["build", "validate"], document.PhaseNames);
        Assert.Equal(Documents.Hardening, document.Text);
        Assert.Equal("hardening.yaml", document.Source);
    }

    [Fact]
    public void Accepts_reboot_and_update_os_without_inputs()
    {
        var document = Documents.Parse(Documents.Baseline);

        Assert.Equal("golden-baseline", document.Name);
        Assert.Null(document.Description);
    }

    [Fact]
    public void Equal_texts_have_equal_fingerprints_and_an_edit_changes_it()
    {
        Assert.Equal(Documents.Parse(Documents.Hardening).Fingerprint, Documents.Parse(Documents.Hardening, "elsewhere.yaml").Fingerprint);
        Assert.NotEqual(Documents.Parse(Documents.Hardening).Fingerprint, Documents.Parse(Documents.HardeningEdited).Fingerprint);
    }

    [Fact]
    public void Rejects_invalid_yaml_naming_the_line()
    {
        var e = Rejected("""
            name: doc
            schemaVersion: 1.0
            description: a: b
            phases:
              - name: build
                steps:
                  - name: Update
                    action: UpdateOS
            """);

        Assert.Matches(@"^doc\.yaml \(line 3, column \d+\)$", e.Where);
        Assert.StartsWith("invalid YAML", e.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_document_without_a_name()
    {
        var e = Rejected("""
            schemaVersion: 1.0
            phases:
              - name: build
                steps:
                  - name: Update
                    action: UpdateOS
            """);

        Assert.Equal("doc.yaml (line 1)", e.Where);
        Assert.Equal("no name", e.Value);
    }

    [Theory]
    [InlineData("schemaVersion: 2.0", "schemaVersion \"2.0\"")]
    [InlineData("schemaVersion: 1", "schemaVersion \"1\"")]
    [InlineData("description: no version", "no schemaVersion")]
    public void Rejects_a_schema_version_other_than_1_0(string line, string value)
    {
        var e = Rejected($"""
            name: doc
            {line}
            phases:
              - name: build
                steps:
                  - name: Update
                    action: UpdateOS
            """);

        Assert.Equal(value, e.Value);
        Assert.Equal("schemaVersion: 1.0", e.Accepted);
    }

    [Fact]
    public void Rejects_an_unknown_phase()
    {
        var e = Rejected("""
            name: doc
            schemaVersion: 1.0
            phases:
              - name: build
                steps:
                  - name: Update
                    action: UpdateOS
              - name: deploy
                steps:
                  - name: Update
                    action: UpdateOS
            """);

        Assert.Equal("doc.yaml (line 8)", e.Where);
        Assert.Equal("phase \"deploy\"", e.Value);
        Assert.Equal("a phase named build, validate or test", e.Accepted);
    }

    [Fact]
    public void Rejects_a_phase_given_twice()
    {
        var e = Rejected("""
            name: doc
            schemaVersion: 1.0
            phases:
              - name: test
                steps:
                  - name: Update
                    action: UpdateOS
              - name: test
                steps:
                  - name: Reboot
                    action: Reboot
            """);

        Assert.Equal("phase \"test\" a second time", e.Value);
    }

    [Fact]
    public void Rejects_duplicate_step_names_in_a_phase()
    {
        var e = Rejected(WithBuildSteps("""
                  - name: Update
                    action: UpdateOS
                  - name: Update
                    action: Reboot
            """));

        Assert.Equal("doc.yaml (line 8)", e.Where);
        Assert.Equal("step \"Update\" a second time in phase build", e.Value);
        Assert.Equal("step names unique within a phase", e.Accepted);
    }

    [Fact]
    public void Accepts_the_same_step_name_in_two_phases()
    {
        var document = Documents.Parse("""
            name: doc
            schemaVersion: 1.0
            phases:
              - name: build
                steps:
                  - name: Update
                    action: UpdateOS
              - name: test
                steps:
                  - name: Update
                    action: UpdateOS
            """);

        Assert.Equal(["build", "test"], document.PhaseNames);
    }

    [Fact]
    public void Rejects_an_unknown_action()
    {
        var e = Rejected(WithBuildSteps("""
                  - name: Install
                    action: ExecuteShell
                    inputs:
                      commands: [ls]
            """));

        Assert.Equal("doc.yaml (line 6)", e.Where);
        Assert.Equal("action \"ExecuteShell\" in step \"Install\"", e.Value);
        Assert.Contains("ExecuteBash", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_step_without_an_action()
    {
        var e = Rejected(WithBuildSteps("""
                  - name: Install
                    inputs:
                      commands: [ls]
            """));

        Assert.Equal("step \"Install\" with no action", e.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("        inputs:")]
    public void Rejects_an_action_without_its_inputs(string inputs)
    {
        var e = Rejected(WithBuildSteps($"""
                  - name: Install
                    action: ExecuteBash
            {inputs}
            """));

        Assert.Equal("doc.yaml (line 6)", e.Where);
        Assert.Equal("step \"Install\" (ExecuteBash) with no inputs", e.Value);
        Assert.Equal("inputs for the ExecuteBash action", e.Accepted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    public void Rejects_an_empty_document(string text)
    {
        var e = Rejected(text);

        Assert.Equal("doc.yaml", e.Where);
        Assert.Equal("an empty document", e.Value);
    }

    [Fact]
    public void Rejects_a_document_without_phases()
    {
        var e = Rejected("name: doc\nschemaVersion: 1.0\n");

        Assert.Equal("no phases", e.Value);
    }

    [Fact]
    public void Rejects_a_document_over_the_inline_limit()
    {
        var e = Rejected(WithBuildSteps("""
                  - name: Update
                    action: UpdateOS
            """) + "\n# " + new string('x', ComponentDocument.MaxInlineLength));

        Assert.EndsWith(" characters", e.Value, StringComparison.Ordinal);
        Assert.Contains("at most 16000 characters", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_missing_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "amiinfra-no-such-component.yaml");

        var e = Assert.Throws<ConstructValidationException>(() => ComponentDocument.FromFile(path));

        Assert.Equal(path, e.Where);
        Assert.Equal("a file that does not exist", e.Value);
    }
}
