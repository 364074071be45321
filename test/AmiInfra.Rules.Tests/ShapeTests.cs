using AmiInfra.Rules;

namespace AmiInfra.Rules.Tests;

/// <summary>Each identifier and name shape with values AWS takes at its edges, and values it refuses.</summary>
public sealed class ShapeTests
{
    private static readonly Dictionary<string, Shape> Shapes = new()
    {
        ["AccountId"] = Identifiers.AccountId,
        ["OrganizationId"] = Identifiers.OrganizationId,
        ["OrganizationalUnitOrRootId"] = Identifiers.OrganizationalUnitOrRootId,
        ["OrganizationArn"] = Identifiers.OrganizationArn,
        ["OrganizationalUnitArn"] = Identifiers.OrganizationalUnitArn,
        ["AmiId"] = Identifiers.AmiId,
        ["SubnetId"] = Identifiers.SubnetId,
        ["SecurityGroupId"] = Identifiers.SecurityGroupId,
        ["LaunchTemplateId"] = Identifiers.LaunchTemplateId,
        ["InstanceType"] = Identifiers.InstanceType,
        ["ParentSsmParameter"] = Identifiers.ParentSsmParameter,
        ["ImageBuilderImage"] = Identifiers.ImageBuilderImage,
        ["MarketplaceProductId"] = Identifiers.MarketplaceProductId,
        ["ManagedComponentName"] = Identifiers.ManagedComponentName,
        ["VersionFilter"] = Identifiers.VersionFilter,
        ["ConnectionArn"] = Identifiers.ConnectionArn,
        ["Factory"] = PhysicalNames.Factory,
        ["Image"] = PhysicalNames.Image,
        ["ImageBuilderResource"] = PhysicalNames.ImageBuilderResource,
        ["IamRole"] = PhysicalNames.IamRole,
        ["KmsAlias"] = PhysicalNames.KmsAlias,
        ["StackSet"] = PhysicalNames.StackSet,
        ["OutputParameter"] = Distributions.OutputParameter,
        ["WorkingDirectory"] = Builds.WorkingDirectory,
        ["KeyPairName"] = Builds.KeyPairName,
    };

    public static TheoryData<string, string> Accepted() => new()
    {
        { "AccountId", "123456789012" }, { "AccountId", "000000000000" },
        { "OrganizationId", "o-a1b2c3d4e5" }, { "OrganizationId", "o-" + new string('a', 32) },
        { "OrganizationalUnitOrRootId", "ou-ab12-cdefgh34" }, { "OrganizationalUnitOrRootId", "r-ab12" },
        { "OrganizationArn", "arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5" },
        { "OrganizationArn", "arn:aws-cn:organizations::123456789012:organization/o-a1b2c3d4e5" },
        { "OrganizationalUnitArn", "arn:aws-us-gov:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-cdefgh34" },
        { "AmiId", "ami-01234567" }, { "AmiId", "ami-0123456789abcdef0" },
        { "SubnetId", "subnet-0123456789abcdef0" }, { "SecurityGroupId", "sg-01234567" },
        { "LaunchTemplateId", "lt-0123456789abcdef0" },
        { "InstanceType", "m7i.large" }, { "InstanceType", "u-6tb1.metal" }, { "InstanceType", "mac2-m2pro.metal" },
        { "InstanceType", "c8i-flex.12xlarge" }, { "InstanceType", "r8g.metal-24xl" }, { "InstanceType", "p6e-gb200.36xlarge" },
        { "InstanceType", "u7inh-32tb.480xlarge" }, { "InstanceType", "t4g.nano" }, { "InstanceType", "x2iezn.metal" },
        { "ParentSsmParameter", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
        { "ImageBuilderImage", "amazon-linux-2023-x86/x.x.x" }, { "ImageBuilderImage", "windows-server-2022-english-full-base-x86/2025.1.x" },
        { "MarketplaceProductId", "prod-abcdefgh12345" },
        { "ManagedComponentName", "update-linux" }, { "ManagedComponentName", "stig-build-linux-high" },
        { "VersionFilter", "1.0.0" }, { "VersionFilter", "1.0.x" }, { "VersionFilter", "1.x.x" }, { "VersionFilter", "x.x.x" },
        { "VersionFilter", "1073741823.1073741823.1073741823" }, { "VersionFilter", "0.0.0" },
        { "ConnectionArn", "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789" },
        { "Factory", "ab" }, { "Factory", "a" + new string('b', 19) },
        { "Image", "ab" }, { "Image", "a" + new string('b', 31) },
        { "ImageBuilderResource", "abc" }, { "ImageBuilderResource", "-golden al2023_" }, { "ImageBuilderResource", new string('a', 128) },
        { "IamRole", new string('r', 64) }, { "IamRole", "role+=,.@_-" },
        { "KmsAlias", "amiinfra/golden/ami" }, { "KmsAlias", new string('a', 250) }, { "KmsAlias", "team:ami" },
        { "StackSet", "a" + new string('b', 127) },
        { "OutputParameter", "/amiinfra/golden/al2023/latest" }, { "OutputParameter", "golden-latest" },
        { "OutputParameter", "/" + string.Join("/", Enumerable.Repeat("l", 15)) }, { "OutputParameter", "/platform/awsome" },
        { "WorkingDirectory", "/tmp" }, { "WorkingDirectory", "C:/Temp" }, { "WorkingDirectory", "D:\\build" },
        { "KeyPairName", new string('k', 255) }, { "KeyPairName", "build key (2026)" },
    };

    public static TheoryData<string, string> Refused() => new()
    {
        { "AccountId", "12345678901" }, { "AccountId", "1234567890123" },
        { "OrganizationId", "o-a1b2c3d4e" }, { "OrganizationId", "o-" + new string('a', 33) },
        { "OrganizationalUnitOrRootId", "ou-ab1-cdefgh34" },
        { "OrganizationArn", "arn:aws:organizations::123456789012:organization/o-a1b2" },
        { "OrganizationArn", "arn:aws-iso:organizations::123456789012:organization/o-a1b2c3d4e5" },
        { "OrganizationalUnitArn", "arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-1" },
        { "AmiId", "ami-0123456789" }, { "AmiId", "ami-0123456789ABCDEF0" },
        { "LaunchTemplateId", "lt-01234567" },
        { "InstanceType", "M7i.large" }, { "InstanceType", "m7i" }, { "InstanceType", "m7i.Large" }, { "InstanceType", "m5.0xlarge" },
        { "InstanceType", "m5..large" }, { "InstanceType", "m5.metal-xl" },
        { "ParentSsmParameter", "aws/service/x" },
        { "ImageBuilderImage", "amazon-linux-2023-x86" }, { "ImageBuilderImage", "amazon-linux-2023-x86/x.1.x" },
        { "MarketplaceProductId", "prod-x" }, { "ManagedComponentName", "Update Linux" },
        { "VersionFilter", "1.x.0" }, { "VersionFilter", "x.1.1" }, { "VersionFilter", "1.0" }, { "VersionFilter", "1073741824.0.0" },
        { "VersionFilter", "latest" },
        { "ConnectionArn", "arn:aws:codestar:us-east-1:123456789012:connection/0a1b2c3d" },
        { "Factory", "a" }, { "Factory", "a" + new string('b', 20) }, { "Factory", "golden-" }, { "Factory", "Golden" },
        { "Image", "a" + new string('b', 32) }, { "Image", "al_2023" },
        { "ImageBuilderResource", "ab" }, { "ImageBuilderResource", new string('a', 129) }, { "ImageBuilderResource", " golden" },
        { "ImageBuilderResource", "golden.al2023" },
        { "IamRole", new string('r', 65) }, { "IamRole", "role/path" },
        { "KmsAlias", new string('a', 251) }, { "KmsAlias", "aws/ebs" },
        { "StackSet", "a" + new string('b', 128) }, { "StackSet", "1stackset" },
        { "OutputParameter", "/aws/golden" }, { "OutputParameter", "/AWS/golden" }, { "OutputParameter", "ssm-golden" },
        { "OutputParameter", "/awsome/latest" }, { "OutputParameter", "platform/al2023/latest" }, { "OutputParameter", "/a//b" },
        { "OutputParameter", "/" + string.Join("/", Enumerable.Repeat("l", 16)) }, { "OutputParameter", "/golden latest" },
        { "WorkingDirectory", "tmp" }, { "WorkingDirectory", "C:" },
        { "KeyPairName", "" }, { "KeyPairName", new string('k', 256) }, { "KeyPairName", "schlüssel" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Accepts(string shape, string value) => Assert.Null(Shapes[shape].Check(value));

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refuses(string shape, string value)
    {
        var problem = Shapes[shape].Check(value);

        Assert.NotNull(problem);
        Assert.Equal(Text.Quote(value), problem.Value);
        Assert.Equal(Shapes[shape].Accepted, problem.Accepted);
    }

    [Fact]
    public void Every_shape_has_cases_both_ways()
    {
        var accepted = Accepted().Select(row => (string)row[0]).ToHashSet();
        var refused = Refused().Select(row => (string)row[0]).ToHashSet();

        Assert.All(Shapes.Keys.Where(k => k != "SubnetId" && k != "SecurityGroupId"), k => Assert.Contains(k, refused));
        Assert.All(Shapes.Keys, k => Assert.Contains(k, accepted));
    }
}
