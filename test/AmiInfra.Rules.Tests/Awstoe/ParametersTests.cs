using AmiInfra.Rules.Awstoe;

namespace AmiInfra.Rules.Tests.Awstoe;

/// <summary>The parameters a document declares, and the values a recipe passes (ToeDocument.CheckPassed).</summary>
public sealed class ParametersTests
{
    private static readonly ToeDocument Document = Toe.Accepted(Toe.Build(
        """
        - name: Install
          action: ExecuteBash
          inputs:
            commands: ['echo {{ TeamName }} {{ AgentVersion }} {{ Region }}']
        """,
        """
        parameters:
          - TeamName:
              type: string
              description: required, no default
          - AgentVersion:
              type: string
              default: 7.52.1
          - Region:
              type: String
              default: ""

        """));

    [Fact]
    public void Reads_each_parameter_with_its_default()
    {
        Assert.Equal(
            [new ToeParameter("TeamName", null), new ToeParameter("AgentVersion", "7.52.1"), new ToeParameter("Region", "")],
            Document.Parameters);
    }

    [Fact]
    public void Accepts_the_required_parameter_with_or_without_the_optional_ones()
    {
        Assert.Null(Document.CheckPassed(["TeamName"]));
        Assert.Null(Document.CheckPassed(["TeamName", "AgentVersion", "Region"]));
    }

    [Fact]
    public void A_parameter_the_document_does_not_declare_is_refused()
    {
        var problem = Document.CheckPassed(["TeamName", "LogLevel"]);

        Assert.NotNull(problem);
        Assert.Equal("the parameter \"LogLevel\"", problem.Value);
        Assert.Equal("a parameter the document declares: TeamName, AgentVersion, Region", problem.Accepted);
        Assert.Equal("LogLevel", problem.Part);
    }

    [Fact]
    public void A_parameter_in_another_case_is_refused_with_a_hint()
    {
        var problem = Document.CheckPassed(["teamname"]);

        Assert.NotNull(problem);
        Assert.Equal("the parameter \"teamname\"", problem.Value);
        Assert.Equal("a parameter the document declares: TeamName, AgentVersion, Region (parameter names are case-sensitive: TeamName)", problem.Accepted);
    }

    [Fact]
    public void A_missing_required_parameter_is_refused()
    {
        var problem = Document.CheckPassed(["AgentVersion"]);

        Assert.NotNull(problem);
        Assert.Null(problem.Value);
        Assert.StartsWith("a value for TeamName: the document declares it without a default", problem.Accepted, StringComparison.Ordinal);
        Assert.Equal("TeamName", problem.Part);
    }

    [Fact]
    public void Several_missing_parameters_are_named_together()
    {
        var document = Toe.Accepted(Toe.Build(
            """
            - name: Echo
              action: ExecuteBash
              inputs:
                commands: ['echo {{ First }} {{ Second }}']
            """,
            "parameters:\n  - First:\n      type: string\n  - Second:\n      type: string\n"));

        var problem = document.CheckPassed([]);

        Assert.NotNull(problem);
        Assert.StartsWith("a value for First, Second: the document declares them without a default", problem.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_without_parameters_takes_none()
    {
        var document = Toe.Accepted(Toe.Build("- name: Echo\n  action: ExecuteBash\n  inputs:\n    commands: [echo]"));

        Assert.Null(document.CheckPassed([]));
        Assert.Equal("no parameters: the document declares none", document.CheckPassed(["Anything"])!.Accepted);
    }

    [Theory]
    [InlineData("ab", "the parameter name \"ab\"")]
    [InlineData("has space", "the parameter name \"has space\"")]
    [InlineData("dotted.name", "the parameter name \"dotted.name\"")]
    public void Parameter_names_are_3_to_128_letters_digits_dashes_and_underscores(string name, string value)
    {
        var problem = Toe.Refused(Toe.Build("- name: Echo\n  action: ExecuteBash\n  inputs:\n    commands: [echo]", $"parameters:\n  - {name}:\n      type: string\n"));

        Assert.Equal($"line 3: {value}", problem.Value);
    }

    [Fact]
    public void A_constant_and_a_parameter_cannot_share_a_name()
    {
        var problem = Toe.Refused(Toe.Build(
            "- name: Echo\n  action: ExecuteBash\n  inputs:\n    commands: [echo]",
            "parameters:\n  - Home:\n      type: string\nconstants:\n  - Home:\n      type: string\n      value: /opt\n"));

        Assert.Equal("line 6: the name \"Home\" a second time (already a parameter)", problem.Value);
    }
}
