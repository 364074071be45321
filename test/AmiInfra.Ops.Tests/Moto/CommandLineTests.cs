using AmiInfra.Ops.Core;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class CommandLineFixture
{
    public MotoAccount Account { get; } = new("200000000012");
}

/// <summary>Bad input: one line naming the option or argument, the value and what is accepted; never a .NET type name.</summary>
public sealed class CommandLineTests(CommandLineFixture fixture) : IClassFixture<CommandLineFixture>
{
    [Theory]
    [InlineData(new[] { "imagse" }, "amiinfra: unknown command 'imagse' for 'amiinfra' (did you mean 'images'?); 'amiinfra --help' lists the commands")]
    [InlineData(new[] { "lifecycle", "aply" }, "amiinfra: unknown command 'aply' for 'amiinfra lifecycle' (did you mean 'apply'?); 'amiinfra lifecycle --help' lists the commands")]
    [InlineData(new[] { "images", "--output", "jsn" }, "amiinfra: option --output: got 'jsn'; expected table or json (did you mean 'json'?)")]
    [InlineData(new[] { "find", "--owner", "self", "--architecture", "x86-64" }, "amiinfra: option --architecture: got 'x86-64'; expected i386, x86_64, arm64, x86_64_mac or arm64_mac (did you mean 'x86_64'?)")]
    [InlineData(new[] { "find", "--owner", "self", "--limit", "ten" }, "amiinfra: option --limit: got 'ten'; expected a whole number")]
    [InlineData(new[] { "images", "--regon", "us-east-1" }, "amiinfra: unknown option '--regon' for 'amiinfra images' (did you mean '--region'?); 'amiinfra images --help' lists its options")]
    [InlineData(new[] { "images", "--region", "us-east-1", "--regions", "eu-west-1" }, "amiinfra: --region us-east-1 and --regions eu-west-1 were both given: pass one of them")]
    [InlineData(new[] { "images", "--endpoint-url", "localhost:5000" }, "amiinfra: option --endpoint-url: got 'localhost:5000'; expected an absolute http:// or https:// URL such as http://127.0.0.1:5000")]
    public async Task A_usage_error_is_one_line_with_the_value_and_what_is_accepted(string[] args, string expected)
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(expected, result.Error.Trim());
        Assert.DoesNotContain("System.", result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Yes_without_delete_says_that_nothing_was_deleted()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["snapshots", "orphaned", "--region", "us-east-1", "--yes"]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal("amiinfra: --yes without --delete: nothing was deleted (pass --delete --yes to delete the orphaned snapshots)", result.Error.Trim());
    }

    [Fact]
    public async Task Tables_fit_120_columns_unless_wide_and_json_rows_have_every_key()
    {
        using var ec2 = fixture.Account.Ec2("us-east-1");
        var declaration = Declarations.Write("cli", fixture.Account.AccountId, """{ "regions": ["us-east-1"] }""", null, "app");
        var ami = await Seed.TaggedImageAsync(ec2, "cli", "app", "cli-app-with-a-rather-long-name-to-widen-the-table");

        var narrow = await CliRun.RunAsync(fixture.Account.Environment(), ["images", "--declaration", declaration, "--usage"]);
        var wide = await CliRun.RunAsync(fixture.Account.Environment(), ["images", "--declaration", declaration, "--usage", "--wide"]);
        var json = await CliRun.RunAsync(fixture.Account.Environment(), ["images", "--declaration", declaration, "--output", "json"]);

        Assert.All(narrow.Out.Split('\n'), l => Assert.True(l.Length <= 120, l));
        Assert.Contains(ami[..8] + "…", narrow.Out);
        Assert.Contains(ami, wide.Out);
        Assert.Contains(wide.Out.Split('\n'), l => l.Length > 120);
        Assert.DoesNotContain("\u001b[", narrow.Out);
        var row = json.Json.GetProperty("images")[0];
        Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("deprecationTime").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("usage").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, row.GetProperty("sharedWith").ValueKind);
    }
}
