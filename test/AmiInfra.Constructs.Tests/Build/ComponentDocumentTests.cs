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

    /// <summary>The rules find the problem (AmiInfra.Rules.Tests check them one by one); the construct names the source.</summary>
    [Fact]
    public void Rejects_invalid_yaml_naming_the_source_and_the_line()
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

        Assert.Equal("doc.yaml", e.Where);
        Assert.Matches(@"^line 3, column \d+: invalid YAML", e.Value);
        Assert.Equal("a YAML (or JSON) document", e.Accepted);
    }

    [Fact]
    public void Rejects_an_unknown_action_naming_the_line_and_the_closest_module()
    {
        var e = Rejected(WithBuildSteps("""
                  - name: Hello
                    action: ExecuteBsh
                    inputs:
                      commands: [echo hello]
            """));

        Assert.Equal("doc.yaml", e.Where);
        Assert.Equal("line 6: action \"ExecuteBsh\" in step \"Hello\" (did you mean ExecuteBash?)", e.Value);
        Assert.StartsWith("an AWSTOE action module: AppendFile, Assert, ", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_a_document_of_either_platform_until_a_component_names_one()
    {
        var document = ComponentDocument.Parse(WithBuildSteps("""
                  - name: Script
                    action: ExecutePowerShell
                    inputs:
                      commands: [Get-Date]
            """), "doc.yaml");

        Assert.Equal(["build"], document.PhaseNames);
    }

    [Fact]
    public void Accepts_a_document_over_the_inline_limit_which_goes_by_uri()
    {
        var document = ComponentDocument.Parse(WithBuildSteps("""
                  - name: Update
                    action: UpdateOS
            """) + "\n# " + new string('x', AmiInfra.Rules.Awstoe.ToeDocuments.MaxInlineLength), "long.yml");

        Assert.False(document.Document.FitsInline);
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
