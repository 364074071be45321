using AmiInfra.Rules.Awstoe;
using YamlDotNet.RepresentationModel;

namespace AmiInfra.Rules.Tests.Awstoe;

/// <summary>YAML 1.1 scalars as the validator reads them, alone and in documents.</summary>
public sealed class YamlValuesTests
{
    private static YamlNode Scalar(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader("v: " + yaml));
        return ((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("v")];
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("Yes", true)]
    [InlineData("YES", true)]
    [InlineData("on", true)]
    [InlineData("ON", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("y", true)]
    [InlineData("no", false)]
    [InlineData("No", false)]
    [InlineData("off", false)]
    [InlineData("Off", false)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    [InlineData("n", false)]
    [InlineData("\"true\"", true)]
    [InlineData("'false'", false)]
    public void Reads_yaml_1_1_booleans(string yaml, bool expected) => Assert.Equal(expected, YamlValues.Boolean(Scalar(yaml)));

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("'on'")]
    [InlineData("maybe")]
    [InlineData("1")]
    [InlineData("tRUE")]
    public void Does_not_read_other_text_as_a_boolean(string yaml) => Assert.Null(YamlValues.Boolean(Scalar(yaml)));

    [Theory]
    [InlineData("0", 0)]
    [InlineData("7200", 7200)]
    [InlineData("-1", -1)]
    [InlineData("+5", 5)]
    [InlineData("3_600", 3600)]
    [InlineData("0x1C20", 7200)]
    [InlineData("0xff", 255)]
    [InlineData("0b1010", 10)]
    [InlineData("0755", 493)]
    [InlineData("-0x10", -16)]
    public void Reads_yaml_1_1_integers(string yaml, long expected) => Assert.Equal(expected, YamlValues.Integer(Scalar(yaml)));

    [Theory]
    [InlineData("\"60\"")]
    [InlineData("'60'")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("0x")]
    [InlineData("089")]
    [InlineData("sixty")]
    [InlineData("99999999999999999999")]
    public void Refuses_what_is_not_an_unquoted_integer(string yaml) => Assert.Null(YamlValues.Integer(Scalar(yaml)));

    [Theory]
    [InlineData("0755", "0755")]
    [InlineData("755", "755")]
    [InlineData("'0755'", "0755")]
    [InlineData("1.0", "1.0")]
    [InlineData("123456789012", "123456789012")]
    [InlineData("yes", "yes")]
    public void Reads_a_text_scalar_as_written(string yaml, string expected) => Assert.Equal(expected, YamlValues.ScalarText(Scalar(yaml)));

    [Theory]
    [InlineData("")]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("Null")]
    public void Reads_the_yaml_null(string yaml) => Assert.True(YamlValues.IsNull(Scalar(yaml)));

    [Fact]
    public void A_quoted_null_is_text() => Assert.False(YamlValues.IsNull(Scalar("'null'")));

    [Theory]
    [InlineData("0755")]
    [InlineData("755")]
    [InlineData("\"0755\"")]
    [InlineData("'0644'")]
    public void An_octal_permission_is_read_as_text_for_a_text_input(string permissions) =>
        Toe.Accepted(Toe.Build($"""
            - name: Mode
              action: SetFilePermissions
              inputs:
                - path: /etc/app.conf
                  permissions: {permissions}
            """));

    [Theory]
    [InlineData("timeoutSeconds: \"60\"", "timeoutSeconds \"60\"")]
    [InlineData("timeoutSeconds: '60'", "timeoutSeconds \"60\"")]
    [InlineData("maxAttempts: \"3\"", "maxAttempts \"3\"")]
    [InlineData("timeoutSeconds: 60.0", "timeoutSeconds \"60.0\"")]
    public void A_quoted_integer_is_refused_for_an_integer_field(string field, string value)
    {
        var problem = Toe.Refused(Toe.Build($"""
            - name: Step
              action: ExecuteBash
              {field}
              inputs:
                commands: [echo hi]
            """));

        Assert.Equal($"line 7: {value} in step \"Step\"", problem.Value);
    }

    [Theory]
    [InlineData("timeoutSeconds: 0x1C20")]
    [InlineData("timeoutSeconds: 7_200")]
    [InlineData("maxAttempts: 0b11")]
    [InlineData("timeoutSeconds: -1")]
    public void Hex_binary_and_separated_integers_are_integers(string field) =>
        Toe.Accepted(Toe.Build($"""
            - name: Step
              action: ExecuteBash
              {field}
              inputs:
                commands: [echo hi]
            """));

    [Fact]
    public void A_quoted_integer_is_refused_for_an_integer_input()
    {
        var problem = Toe.Refused(Toe.Build("""
            - name: Wait
              action: Reboot
              inputs:
                delaySeconds: '30'
            """));

        Assert.StartsWith("line 8: \"30\" for delaySeconds", problem.Value, StringComparison.Ordinal);
        Assert.Equal("an unquoted whole number", problem.Accepted);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("off")]
    [InlineData("True")]
    [InlineData("\"false\"")]
    public void Yaml_1_1_booleans_are_booleans_for_a_boolean_input(string value) =>
        Toe.Accepted(Toe.Build($"""
            - name: Copy
              action: CopyFile
              inputs:
                - source: /a
                  destination: /b
                  overwrite: {value}
            """));

    [Theory]
    [InlineData("1")]
    [InlineData("\"yes\"")]
    [InlineData("enabled")]
    public void Other_values_are_refused_for_a_boolean_input(string value)
    {
        var problem = Toe.Refused(Toe.Build($"""
            - name: Copy
              action: CopyFile
              inputs:
                - source: /a
                  destination: /b
                  overwrite: {value}
            """));

        Assert.Equal("true or false", problem.Accepted);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("\"1.0\"")]
    [InlineData("'1.0'")]
    [InlineData("1")]
    [InlineData("\"1\"")]
    public void SchemaVersion_is_1_0_in_every_form_aws_writes(string version) =>
        Toe.Accepted(Toe.Build("""
            - name: Step
              action: ExecuteBash
              inputs:
                commands: [echo hi]
            """).Replace("schemaVersion: 1.0", "schemaVersion: " + version, StringComparison.Ordinal));

    [Theory]
    [InlineData("2.0")]
    [InlineData("1.1")]
    [InlineData("\"latest\"")]
    [InlineData("[1.0]")]
    public void Other_schema_versions_are_refused(string version)
    {
        var problem = Toe.Refused(Toe.Build("""
            - name: Step
              action: ExecuteBash
              inputs:
                commands: [echo hi]
            """).Replace("schemaVersion: 1.0", "schemaVersion: " + version, StringComparison.Ordinal));

        Assert.StartsWith("line 1: schemaVersion", problem.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_byte_order_mark_at_the_start_is_not_content()
    {
        var text = "\uFEFF" + Toe.Build("- name: Step\n  action: ExecuteBash\n  inputs:\n    commands: [echo hi]").Replace("\n", "\r\n", StringComparison.Ordinal);

        var document = Toe.Accepted(text);

        Assert.Empty(document.Warnings);
        Assert.Equal(text, document.Text);
    }
}
