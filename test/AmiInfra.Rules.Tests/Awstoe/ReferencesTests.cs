using AmiInfra.Rules.Awstoe;

namespace AmiInfra.Rules.Tests.Awstoe;

/// <summary>{{ }} references: chaining, loop variables, parameters, and text that is another tool's template.</summary>
public sealed class ReferencesTests
{
    private const string Earlier = """
        - name: Fetch
          action: S3Download
          inputs:
            - source: s3://bucket/a.tgz
              destination: /tmp/a.tgz
            - source: s3://bucket/b.tgz
              destination: /tmp/b.tgz
        - name: Run
          action: ExecuteBinary
          inputs:
            path: /usr/bin/uname
            arguments: [-r]
        - name: Web
          action: WebDownload
          inputs:
            - source: https://example.internal/c.tgz
              destination: /tmp/
        """;

    private static string WithCommand(string command, string preamble = "") =>
        Toe.Build(Earlier + $"""

            - name: Use
              action: ExecuteBash
              inputs:
                commands:
                  - '{command}'
            """, preamble);

    [Theory]
    [InlineData("{{ build.Fetch.inputs[0].destination }}")]
    [InlineData("{{ build.Fetch.inputs[1].source }}")]
    [InlineData("{{build.Fetch.inputs[0].destination}}")]
    [InlineData("{{   build.Run.inputs.path   }}")]
    [InlineData("{{ build.Run.outputs.stdout }}")]
    [InlineData("{{ build.Web.outputs.destination }}")]
    [InlineData("tar -xzf {{ build.Fetch.inputs[0].destination }} && {{ build.Run.outputs.stdout }}")]
    public void Accepts_the_chaining_forms_aws_documents(string command) => Toe.Accepted(WithCommand(command));

    [Theory]
    [InlineData("{{ build.Fetch.inputs.destination }}", "build.Fetch.inputs[index].destination: S3Download takes a list of inputs, counted from 0")]
    [InlineData("{{ build.Run.inputs[0].path }}", "build.Run.inputs.path: ExecuteBinary takes one mapping of inputs, without an index")]
    [InlineData("{{ build.Run.outputs.stderr }}", "an output of ExecuteBinary: stdout")]
    [InlineData("{{ build.Fetch.outputs.destination }}", "a step with outputs: S3Download has none")]
    [InlineData("{{ build.Run.inputs.file }}", "an input of ExecuteBinary: path, arguments")]
    [InlineData("{{ build.Missing.outputs.stdout }}", "a step that runs before Use: build.Missing is not an earlier step of the document")]
    [InlineData("{{ validate.Run.outputs.stdout }}", "a step that runs before Use: validate.Run is not an earlier step of the document")]
    public void Refuses_a_chain_that_names_nothing_with_a_value(string command, string accepted)
    {
        var problem = Toe.Refused(WithCommand(command));

        Assert.Equal($"line 26: the reference {command} in step \"Use\"", problem.Value);
        Assert.Equal(accepted, problem.Accepted);
    }

    [Fact]
    public void A_step_cannot_chain_to_itself()
    {
        var problem = Toe.Refused(Toe.Build("""
            - name: Self
              action: ExecuteBash
              inputs:
                commands: ['echo {{ build.Self.outputs.stdout }}']
            """));

        Assert.Equal("a step that runs before Self: build.Self is not an earlier step of the document", problem.Accepted);
    }

    [Fact]
    public void Validate_chains_to_build_and_test_chains_within_test()
    {
        Toe.Accepted("""
            schemaVersion: 1.0
            phases:
              - name: build
                steps:
                  - name: A
                    action: ExecuteBash
                    inputs: { commands: [uname -r] }
              - name: validate
                steps:
                  - name: B
                    action: ExecuteBash
                    inputs: { commands: ['echo {{ build.A.outputs.stdout }}'] }
              - name: test
                steps:
                  - name: C
                    action: ExecuteBash
                    inputs: { commands: [uname -r] }
                  - name: D
                    action: ExecuteBash
                    inputs: { commands: ['echo {{ test.C.outputs.stdout }}'] }
            """);
    }

    [Theory]
    [InlineData("test", "validate")]
    [InlineData("test", "build")]
    [InlineData("container-host-test", "build")]
    public void The_test_stage_does_not_chain_to_the_build_stage(string phase, string from)
    {
        var problem = Toe.Refused($$$"""
            schemaVersion: 1.0
            phases:
              - name: {{{from}}}
                steps:
                  - name: A
                    action: ExecuteBash
                    inputs: { commands: [uname -r] }
              - name: {{{phase}}}
                steps:
                  - name: B
                    action: ExecuteBash
                    inputs: { commands: ['echo {{ {{{from}}}.A.outputs.stdout }}'] }
            """);

        Assert.StartsWith($"a step of the {phase} phase", problem.Accepted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "{{ loop.value }} {{ loop.index }}")]
    [InlineData("name: pkgs", "{{ pkgs.value }} {{ pkgs.index }} {{ loop.value }}")]
    public void Loop_variables_resolve_in_the_step_with_the_loop(string name, string command)
    {
        var document = Toe.Accepted(Toe.Build($"""
            - name: Each
              action: ExecuteBash
              loop:
                {name}
                forEach: [jq, git]
              inputs:
                commands: ['echo {command}']
            """));

        Assert.Empty(document.Warnings);
    }

    [Fact]
    public void A_loop_variable_in_a_step_without_a_loop_is_left_unreplaced_with_a_warning()
    {
        var document = Toe.Accepted(Toe.Build("""
            - name: NoLoop
              action: ExecuteBash
              inputs:
                commands: ['echo {{ loop.value }}']
            """));

        Assert.Equal("line 8: the reference {{ loop.value }} in step \"NoLoop\" is left unreplaced by AWSTOE: the step has no loop", Assert.Single(document.Warnings));
    }

    [Fact]
    public void Another_steps_loop_name_is_left_unreplaced_with_a_warning()
    {
        var document = Toe.Accepted(Toe.Build("""
            - name: First
              action: ExecuteBash
              loop:
                name: pkgs
                forEach: [jq]
              inputs:
                commands: ['echo {{ pkgs.value }}']
            - name: Second
              action: ExecuteBash
              loop:
                name: users
                forEach: [root]
              inputs:
                commands: ['echo {{ pkgs.value }} {{ users.value }}']
            """));

        Assert.Contains("{{ pkgs.value }} in step \"Second\" is left unreplaced by AWSTOE: it is not a variable of the step's own loop", Assert.Single(document.Warnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CreateFile")]
    [InlineData("AppendFile")]
    public void The_content_of_a_file_is_left_alone(string action) =>
        Toe.Accepted(Toe.Build($$$"""
            - name: Template
              action: {{{action}}}
              inputs:
                - path: /etc/app/site.yml
                  content: |
                    host: {{ ansible_hostname }}
                    {% for u in users %}{{ u.name }}{% endfor %}
                    later: {{ build.NotYet.outputs.stdout }}
            """));

    [Fact]
    public void The_path_of_a_file_is_checked()
    {
        var problem = Toe.Refused(Toe.Build("""
            - name: Template
              action: CreateFile
              inputs:
                - path: '/etc/{{ AppName }}/site.yml'
                  content: '{{ ansible_hostname }}'
            """));

        Assert.Equal("line 8: the reference {{ AppName }} in step \"Template\"", problem.Value);
        Assert.Equal("a parameter or constant the document declares (it declares none)", problem.Accepted);
    }

    [Theory]
    [InlineData("docker ps --format {{ .ID }}")]
    [InlineData("docker inspect --format {{json .Config}} x")]
    [InlineData("docker ps --format {{.Names}}")]
    [InlineData("helm template --set a={{ .Values.x }}")]
    public void Templates_of_other_tools_in_commands_are_left_alone(string command) => Toe.Accepted(WithCommand(command));

    [Fact]
    public void Parameters_and_constants_resolve_and_the_closest_name_is_suggested()
    {
        const string preamble = """
            parameters:
              - AppVersion:
                  type: string
                  default: "1"
            constants:
              - app-home:
                  type: string
                  value: /opt/app
            """;
        Toe.Accepted(WithCommand("install {{ AppVersion }} into {{app-home}}", preamble + "\n"));

        var problem = Toe.Refused(WithCommand("install {{ AppVerson }}", preamble + "\n"));

        Assert.EndsWith("the reference {{ AppVerson }} in step \"Use\" (did you mean AppVersion?)", problem.Value, StringComparison.Ordinal);
        Assert.Equal("a parameter or constant the document declares (references are case-sensitive): AppVersion, app-home", problem.Accepted);
    }

    [Fact]
    public void A_forEach_value_chains_like_an_input()
    {
        Toe.Accepted(Toe.Build(Earlier + """

            - name: Each
              action: ExecuteBash
              loop:
                forEach:
                  - "{{ build.Run.outputs.stdout }}"
                  - "{{ build.Fetch.inputs[1].destination }}"
              inputs:
                commands: ['echo {{ loop.value }}']
            """));

        var problem = Toe.Refused(Toe.Build("""
            - name: Each
              action: ExecuteBash
              loop:
                forEach:
                  list: "{{ Packages }}"
              inputs:
                commands: ['echo {{ loop.value }}']
            """));
        Assert.Equal("line 9: the reference {{ Packages }} in step \"Each\"", problem.Value);
    }
}
