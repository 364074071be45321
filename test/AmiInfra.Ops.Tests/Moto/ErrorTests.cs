using AmiInfra.Ops.Core;
using System.Diagnostics;
using System.Net;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class ErrorFixture
{
    public MotoAccount Account { get; } = new("200000000008");
}

/// <summary>Errors are one line on standard error, never a stack trace, with a documented exit code.</summary>
public sealed class ErrorTests(ErrorFixture fixture) : IClassFixture<ErrorFixture>
{
    [Fact]
    public async Task An_invalid_declaration_prints_the_declaration_message()
    {
        var file = Path.Combine(Path.GetTempPath(), $"amiinfra-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{ "name": "Bad Name", "account": "123456789012", "region": "us-east-1", "build": {}, "images": [] }""");

        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["audit", "--declaration", file]);
        File.Delete(file);

        Assert.Equal(ExitCodes.InvalidDeclaration, result.ExitCode);
        Assert.Equal("amiinfra: invalid declaration: name: got \"Bad Name\"; expected 2 to 20 characters: lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen", result.Error.Trim());
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task A_missing_declaration_names_the_file()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["images", "--declaration", "/nonexistent/factory"]);

        Assert.Equal(ExitCodes.InvalidDeclaration, result.ExitCode);
        Assert.StartsWith("amiinfra: invalid declaration: /nonexistent/factory: got a file that does not exist", result.Error);
    }

    [Fact]
    public async Task An_unknown_region_is_a_usage_error()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["images", "--declaration", CliRun.DefaultDeclaration, "--regions", "us-east-1,mars-north-1"]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("amiinfra: unknown region 'mars-north-1': expected an AWS region code such as us-east-1 or eu-west-1", result.Error.Trim());
    }

    [Fact]
    public async Task Access_denied_is_one_line_with_its_own_exit_code()
    {
        var interceptor = new AwsInterceptor().Fail(c => c.Action == "DescribeImages", "UnauthorizedOperation", "You are not authorized to perform this operation.", HttpStatusCode.Forbidden);

        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["images", "--declaration", CliRun.DefaultDeclaration, "--account-mismatch-ok"], interceptor);

        Assert.Equal(ExitCodes.AccessDenied, result.ExitCode);
        Assert.Equal("amiinfra: access denied (UnauthorizedOperation): You are not authorized to perform this operation.", result.Error.Trim());
    }

    [Fact]
    public async Task Rejected_credentials_have_their_own_exit_code()
    {
        var interceptor = new AwsInterceptor().Fail(c => c.Action == "GetCallerIdentity", "InvalidClientTokenId", "The security token included in the request is invalid.", HttpStatusCode.Forbidden);

        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["images", "--declaration", CliRun.DefaultDeclaration], interceptor);

        Assert.Equal(ExitCodes.Credentials, result.ExitCode);
        Assert.StartsWith("amiinfra: AWS rejected the credentials (InvalidClientTokenId)", result.Error);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["images", "--colour"]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("amiinfra: unknown option '--colour' for 'amiinfra images'; 'amiinfra images --help' lists its options", result.Error.Trim());
    }

    [Theory]
    [InlineData("images")]
    [InlineData("audit")]
    [InlineData("lifecycle", "plan")]
    [InlineData("lifecycle", "apply")]
    [InlineData("usage")]
    [InlineData("recycle-bin", "list")]
    [InlineData("recycle-bin", "restore")]
    [InlineData("deregister")]
    [InlineData("snapshots", "orphaned")]
    [InlineData("find")]
    [InlineData("billing")]
    public async Task Every_command_has_help_with_examples(params string[] command)
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), [.. command, "--help"]);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("Usage:", result.Out);
        Assert.Contains($"Examples:{Environment.NewLine}  amiinfra {string.Join(' ', command)}", result.Out);
    }

    /// <summary>The real executable, in an environment with no credentials at all.</summary>
    [Fact]
    public async Task Missing_credentials_are_reported_in_one_line_by_the_executable()
    {
        var home = Directory.CreateTempSubdirectory("amiinfra-home-").FullName;
        var start = new ProcessStartInfo("dotnet", [typeof(AmiInfraCli).Assembly.Location, "find", "--owner", "self", "--region", "us-east-1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = home;
        start.Environment["DOTNET_CLI_HOME"] = home;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_ENDPOINT_URL"] = fixture.Account.Server.Endpoint;

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Directory.Delete(home, recursive: true);

        Assert.Equal(ExitCodes.Credentials, process.ExitCode);
        Assert.Equal($"amiinfra: {AwsSession.NoCredentialsMessage}", error.Trim());
        Assert.Equal("", output);
    }
}
