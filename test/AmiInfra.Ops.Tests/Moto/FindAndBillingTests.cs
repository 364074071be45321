using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class FindFixture
{
    public MotoAccount Account { get; } = new("200000000007");
}

/// <summary>moto ships Amazon's AMIs (owner alias "amazon") and the public /aws/service SSM parameters.</summary>
public sealed class FindAndBillingTests(FindFixture fixture) : IClassFixture<FindFixture>
{
    [Fact]
    public async Task Find_filters_amazon_amis_by_name_and_architecture_newest_first()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["find", "--owner", "amazon", "--name", "al2023-ami-2023.*", "--architecture", "arm64", "--output", "json"]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var images = result.Json.GetProperty("images").EnumerateArray().ToList();
        Assert.NotEmpty(images);
        Assert.All(images, i =>
        {
            Assert.StartsWith("al2023-ami-2023.", i.GetProperty("name").GetString());
            Assert.Equal("arm64", i.GetProperty("architecture").GetString());
            Assert.Equal("amazon", i.GetProperty("owner").GetString());
        });
        var created = images.Select(i => i.GetProperty("created").GetDateTimeOffset()).ToList();
        Assert.Equal(created.OrderDescending(), created);
    }

    [Fact]
    public async Task Find_resolves_a_public_ssm_parameter_to_its_ami()
    {
        using var ssm = fixture.Account.Ssm("us-east-1");
        const string parameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
        var expected = (await ssm.GetParameterAsync(new Amazon.SimpleSystemsManagement.Model.GetParameterRequest { Name = parameter })).Parameter.Value;

        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["find", "--ssm-parameter", parameter, "--wide"]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.StartsWith($"{parameter} in us-east-1:", result.Out);
        Assert.Contains(expected, result.Out);
    }

    [Fact]
    public async Task Find_by_platform_keeps_only_that_platform()
    {
        var windows = await CliRun.RunAsync(fixture.Account.Environment(), ["find", "--owner", "amazon", "--platform", "windows", "--limit", "500", "--output", "json"]);
        var linux = await CliRun.RunAsync(fixture.Account.Environment(), ["find", "--owner", "amazon", "--platform", "linux", "--limit", "500", "--output", "json"]);

        Assert.True(windows.ExitCode == ExitCodes.Success, windows.ToString());
        Assert.True(linux.ExitCode == ExitCodes.Success, linux.ToString());
        Assert.NotEmpty(windows.Json.GetProperty("images").EnumerateArray());
        Assert.All(windows.Json.GetProperty("images").EnumerateArray(), i => Assert.Equal("Windows", i.GetProperty("platform").GetString()));
        Assert.All(linux.Json.GetProperty("images").EnumerateArray(), i => Assert.Equal("Linux/UNIX", i.GetProperty("platform").GetString()));
    }

    [Fact]
    public async Task Find_reads_every_page()
    {
        var interceptor = new AwsInterceptor().PageDescribeImages(2);

        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["find", "--owner", "amazon", "--output", "json"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal(6, result.Json.GetProperty("total").GetInt32());
        Assert.Equal(3, interceptor.CountForwarded("DescribeImages"));
    }

    [Fact]
    public async Task Find_owner_self_leaves_out_the_accounts_deprecated_amis_unless_asked()
    {
        using var ec2 = fixture.Account.Ec2("us-east-1");
        var current = await Seed.TaggedImageAsync(ec2, "fnd", "app", "fnd-app-current");
        var deprecated = await Seed.TaggedImageAsync(ec2, "fnd", "app", "fnd-app-deprecated");
        var interceptor = new AwsInterceptor().SetImageField(deprecated, "deprecationTime", "2020-01-01T00:00:00.000Z");

        var without = await CliRun.RunAsync(fixture.Account.Environment(), ["find", "--owner", "self", "--name", "fnd-app-*", "--output", "json"], interceptor);
        var with = await CliRun.RunAsync(fixture.Account.Environment(), ["find", "--owner", "self", "--name", "fnd-app-*", "--include-deprecated", "--output", "json"], interceptor);

        Assert.Equal([current], without.Json.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("imageId").GetString()));
        Assert.Equal(new[] { current, deprecated }.Order(), with.Json.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("imageId").GetString()!).Order());
    }

    [Fact]
    public async Task Find_without_any_criterion_is_a_usage_error()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["find"]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("amiinfra: give --owner, --name or --ssm-parameter (listing every AMI you may launch is too broad)", result.Error.Trim());
    }

    /// <summary>moto returns neither platformDetails nor usageOperation: the interceptor adds them as EC2 would.</summary>
    [Fact]
    public async Task Billing_shows_platform_details_usage_operation_and_product_codes()
    {
        using var ec2 = fixture.Account.Ec2("us-east-1");
        var ami = await Seed.TaggedImageAsync(ec2, "bill", "rhel", "bill-rhel");
        var interceptor = new AwsInterceptor()
            .SetImageField(ami, "platformDetails", "Red Hat Enterprise Linux")
            .SetImageField(ami, "usageOperation", "RunInstances:0010");

        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["billing", ami, "--output", "json"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var image = result.Json.GetProperty("images")[0];
        Assert.Equal("Red Hat Enterprise Linux", image.GetProperty("platformDetails").GetString());
        Assert.Equal("RunInstances:0010", image.GetProperty("usageOperation").GetString());
        Assert.Equal(0, image.GetProperty("productCodes").GetArrayLength());
    }

    [Fact]
    public async Task Billing_of_an_unknown_ami_fails_with_one_line()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["billing", "ami-0000000000000000f"]);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Equal("amiinfra: AMI ami-0000000000000000f does not exist in us-east-1, or it is not shared with this account", result.Error.Trim());
        Assert.Equal("", result.Out);
    }
}
