using System.Text.Json;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.KMS;
using AmiInfra.Constructs.Build;

namespace AmiInfra.Constructs.Tests.Build;

/// <summary>The factory's own build VPC, with build infrastructure placed in it, synthesized once.</summary>
public sealed class BuildNetworkFixture
{
    public BuildNetworkFixture()
    {
        var stack = TestEnv.NewStack("Network");
        Network = new BuildNetwork(stack, "Network", new BuildNetworkProps { NamePrefix = "golden" });
        _ = new BuildInfrastructure(stack, "Build", new BuildInfrastructureProps
        {
            NamePrefix = "golden",
            Key = new Key(stack, "BuildKey", new KeyProps { EnableKeyRotation = true }),
            Subnet = Network.Subnet,
            SecurityGroups = [Network.SecurityGroup],
        });
        Template = Template.FromStack(stack);
        Json = JsonDocument.Parse(JsonSerializer.Serialize(Template.ToJSON())).RootElement.Clone();
    }

    public BuildNetwork Network { get; }

    public Template Template { get; }

    public JsonElement Json { get; }
}

/// <summary>Fix 7: without a default VPC, the factory can create the network a build needs.</summary>
[Collection(CdkCollection.Name)]
public sealed class BuildNetworkTests(BuildNetworkFixture fixture) : IClassFixture<BuildNetworkFixture>
{
    private Dictionary<string, JsonElement> Resources(string type) =>
        fixture.Json.GetProperty("Resources").EnumerateObject().Where(r => r.Value.GetProperty("Type").GetString() == type).ToDictionary(r => r.Name, r => r.Value);

    [Fact]
    public void Build_instances_run_in_the_private_subnet_with_the_factory_security_group()
    {
        var subnet = Resources("AWS::EC2::Subnet").Single(s => s.Key.Contains("Private", StringComparison.Ordinal)).Key;
        var group = Assert.Single(Resources("AWS::EC2::SecurityGroup")).Key;
        fixture.Template.HasResourceProperties("AWS::ImageBuilder::InfrastructureConfiguration", Match.ObjectLike(new Dictionary<string, object>
        {
            ["SubnetId"] = new Dictionary<string, object> { ["Ref"] = subnet },
            ["SecurityGroupIds"] = new object[] { new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { group, "GroupId" } } },
        }));
        fixture.Template.HasResourceProperties("AWS::EC2::Subnet", Match.ObjectLike(new Dictionary<string, object> { ["MapPublicIpOnLaunch"] = false }));
    }

    [Fact]
    public void Private_subnet_reaches_the_internet_through_a_nat_gateway_and_s3_through_a_gateway_endpoint()
    {
        var nat = Assert.Single(Resources("AWS::EC2::NatGateway")).Key;
        var routes = Resources("AWS::EC2::Route").Values.Select(r => r.GetProperty("Properties")).ToList();
        Assert.Contains(routes, r => r.TryGetProperty("NatGatewayId", out var id) && id.GetProperty("Ref").GetString() == nat && r.GetProperty("DestinationCidrBlock").GetString() == "0.0.0.0/0");
        Assert.Contains(routes, r => r.TryGetProperty("GatewayId", out _) && r.GetProperty("DestinationCidrBlock").GetString() == "0.0.0.0/0");

        var endpoint = Assert.Single(Resources("AWS::EC2::VPCEndpoint")).Value.GetProperty("Properties");
        Assert.Equal("Gateway", endpoint.GetProperty("VpcEndpointType").GetString());
        Assert.Contains(".s3", JsonSerializer.Serialize(endpoint.GetProperty("ServiceName")), StringComparison.Ordinal);
    }

    [Fact]
    public void Security_group_allows_outbound_http_and_https_only_and_nothing_inbound()
    {
        var group = Assert.Single(Resources("AWS::EC2::SecurityGroup")).Value.GetProperty("Properties");
        Assert.False(group.TryGetProperty("SecurityGroupIngress", out _));
        var egress = group.GetProperty("SecurityGroupEgress").EnumerateArray().Select(e => (e.GetProperty("IpProtocol").GetString(), e.GetProperty("FromPort").GetInt32(), e.GetProperty("ToPort").GetInt32())).Order().ToList();
        Assert.Equal([("tcp", 80, 80), ("tcp", 443, 443)], egress);
    }

    [Fact]
    public void Network_needs_no_lookup_at_synth()
    {
        var text = fixture.Json.GetRawText();
        Assert.Contains("Fn::GetAZs", text, StringComparison.Ordinal);
        Assert.DoesNotContain("dummy", text, StringComparison.Ordinal);
    }
}
