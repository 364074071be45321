using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>Props of a <see cref="BuildNetwork"/>.</summary>
public sealed record BuildNetworkProps
{
    /// <summary>Prefix of the Name tags (the factory name). No default.</summary>
    public required string NamePrefix { get; init; }

    /// <summary>The VPC's address range (a /16 to /24 IPv4 CIDR block). Default: 10.64.0.0/24.</summary>
    public string CidrBlock { get; init; } = "10.64.0.0/24";

    /// <summary>
    /// Days the VPC's flow log (every accepted and rejected connection of build and test instances, in CloudWatch Logs)
    /// is kept: one of the retentions CloudWatch Logs takes. Default: 90.
    /// </summary>
    public int FlowLogRetentionDays { get; init; } = 90;
}

/// <summary>
/// A small VPC for build and test instances, for accounts without a default VPC: one public subnet with a NAT
/// gateway, one private subnet where the instances run, an S3 gateway endpoint (AWSTOE, components and build
/// logs stay off the NAT gateway) and a security group that allows outbound HTTPS (Systems Manager, S3, AWS APIs)
/// and HTTP (package mirrors that serve over HTTP, such as Ubuntu's) and nothing inbound.
/// A build instance needs Systems Manager, Amazon S3 and its package mirrors through the internet or endpoints
/// ("Image Builder and interface VPC endpoints": https://docs.aws.amazon.com/imagebuilder/latest/userguide/vpc-interface-endpoints.html;
/// "Troubleshoot Image Builder": the instance must reach Systems Manager). One Availability Zone (the first the
/// region lists, by <c>Fn::GetAZs</c>): no lookup at synth. A flow log records what build and test instances connect
/// to (CloudWatch Logs, <see cref="BuildNetworkProps.FlowLogRetentionDays"/>). Costs a NAT gateway and its Elastic IP
/// while deployed.
/// </summary>
public sealed class BuildNetwork : Construct
{
    /// <summary>Creates the VPC.</summary>
    public BuildNetwork(Construct scope, string id, BuildNetworkProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Checks.Shape($"{Node.Path}.NamePrefix", props.NamePrefix, AmiInfra.Rules.PhysicalNames.Factory);
        Checks.Require($"{Node.Path}.FlowLogRetentionDays", AmiInfra.Rules.Builds.LogGroupRetention(props.FlowLogRetentionDays));
        var zone = Fn.Select(0, Fn.GetAzs(""));
        var vpc = new CfnVPC(this, "Resource", new CfnVPCProps
        {
            CidrBlock = props.CidrBlock,
            EnableDnsHostnames = true,
            EnableDnsSupport = true,
            Tags = [Name("build")],
        });

        // Two /26 subnets of the range (64 addresses each): enough for a few build and test instances at a time.
        var publicSubnet = NewSubnet("Public", vpc, zone, Fn.Select(0, Fn.Cidr(props.CidrBlock, 2, "6")));
        var privateSubnet = NewSubnet("Private", vpc, zone, Fn.Select(1, Fn.Cidr(props.CidrBlock, 2, "6")));

        var gateway = new CfnInternetGateway(this, "InternetGateway", new CfnInternetGatewayProps { Tags = [Name("build")] });
        var attachment = new CfnVPCGatewayAttachment(this, "InternetGatewayAttachment", new CfnVPCGatewayAttachmentProps { VpcId = vpc.Ref, InternetGatewayId = gateway.Ref });
        var publicRoutes = Routes("PublicRoutes", vpc, publicSubnet);
        var internet = new CfnRoute(this, "PublicDefaultRoute", new CfnRouteProps { RouteTableId = publicRoutes.Ref, DestinationCidrBlock = "0.0.0.0/0", GatewayId = gateway.Ref });
        internet.AddDependency(attachment);

        var address = new CfnEIP(this, "NatAddress", new CfnEIPProps { Domain = "vpc", Tags = [Name("build-nat")] });
        address.AddDependency(attachment);
        var nat = new CfnNatGateway(this, "NatGateway", new CfnNatGatewayProps { SubnetId = publicSubnet.Ref, AllocationId = address.AttrAllocationId, Tags = [Name("build")] });
        var privateRoutes = Routes("PrivateRoutes", vpc, privateSubnet);
        _ = new CfnRoute(this, "PrivateDefaultRoute", new CfnRouteProps { RouteTableId = privateRoutes.Ref, DestinationCidrBlock = "0.0.0.0/0", NatGatewayId = nat.Ref });

        _ = new CfnVPCEndpoint(this, "S3Endpoint", new CfnVPCEndpointProps
        {
            VpcId = vpc.Ref,
            ServiceName = $"com.amazonaws.{Aws.REGION}.s3",
            VpcEndpointType = "Gateway",
            RouteTableIds = [privateRoutes.Ref],
        });

        var group = new CfnSecurityGroup(this, "InstanceSecurityGroup", new CfnSecurityGroupProps
        {
            GroupDescription = $"Build and test instances of the {props.NamePrefix} factory: outbound HTTP and HTTPS only",
            VpcId = vpc.Ref,
            SecurityGroupEgress = new object[]
            {
                new CfnSecurityGroup.EgressProperty { IpProtocol = "tcp", FromPort = 443, ToPort = 443, CidrIp = "0.0.0.0/0", Description = "Systems Manager, S3, AWS APIs" },
                new CfnSecurityGroup.EgressProperty { IpProtocol = "tcp", FromPort = 80, ToPort = 80, CidrIp = "0.0.0.0/0", Description = "Package mirrors served over HTTP" },
            },
            Tags = [Name("build-instances")],
        });

        FlowLog(vpc, props);
        VpcId = vpc.Ref;
        Subnet = Amazon.CDK.AWS.EC2.Subnet.FromSubnetAttributes(this, "PrivateSubnetReference", new SubnetAttributes
        {
            SubnetId = privateSubnet.Ref,
            AvailabilityZone = zone,
            RouteTableId = privateRoutes.Ref,
        });
        SecurityGroup = Amazon.CDK.AWS.EC2.SecurityGroup.FromSecurityGroupId(this, "InstanceSecurityGroupReference", group.AttrGroupId, new SecurityGroupImportOptions { Mutable = false });

        CfnSubnet NewSubnet(string name, CfnVPC parent, string az, string cidr) => new(this, name + "Subnet", new CfnSubnetProps
        {
            VpcId = parent.Ref,
            AvailabilityZone = az,
            CidrBlock = cidr,
            MapPublicIpOnLaunch = false,
            Tags = [Name($"build-{name.ToLowerInvariant()}")],
        });

        CfnRouteTable Routes(string name, CfnVPC parent, CfnSubnet subnet)
        {
            var table = new CfnRouteTable(this, name, new CfnRouteTableProps { VpcId = parent.Ref, Tags = [Name("build")] });
            _ = new CfnSubnetRouteTableAssociation(this, name + "Association", new CfnSubnetRouteTableAssociationProps { RouteTableId = table.Ref, SubnetId = subnet.Ref });
            return table;
        }

        CfnTag Name(string what) => new() { Key = "Name", Value = $"{props.NamePrefix}-{what}" };
    }

    /// <summary>The VPC id.</summary>
    public string VpcId { get; }

    /// <summary>The private subnet build instances run in.</summary>
    public ISubnet Subnet { get; }

    /// <summary>The security group of build instances (outbound HTTP and HTTPS only).</summary>
    public ISecurityGroup SecurityGroup { get; }

    /// <summary>
    /// The VPC's flow log, to CloudWatch Logs, through a role only the VPC Flow Logs service of this account assumes
    /// ("Publish flow logs to CloudWatch Logs", IAM role for publishing flow logs:
    /// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html).
    /// </summary>
    private void FlowLog(CfnVPC vpc, BuildNetworkProps props)
    {
        var group = new Amazon.CDK.AWS.Logs.CfnLogGroup(this, "FlowLogGroup", new Amazon.CDK.AWS.Logs.CfnLogGroupProps
        {
            RetentionInDays = props.FlowLogRetentionDays,
        });
        group.ApplyRemovalPolicy(RemovalPolicy.RETAIN);
        var role = new Amazon.CDK.AWS.IAM.CfnRole(this, "FlowLogRole", new Amazon.CDK.AWS.IAM.CfnRoleProps
        {
            Description = $"Lets VPC Flow Logs write the flow log of the {props.NamePrefix} build VPC",
            AssumeRolePolicyDocument = new Dictionary<string, object>
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["Effect"] = "Allow",
                        ["Principal"] = new Dictionary<string, object> { ["Service"] = "vpc-flow-logs.amazonaws.com" },
                        ["Action"] = "sts:AssumeRole",
                        ["Condition"] = new Dictionary<string, object>
                        {
                            ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID },
                            ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = $"arn:{Aws.PARTITION}:ec2:{Aws.REGION}:{Aws.ACCOUNT_ID}:vpc-flow-log/*" },
                        },
                    },
                },
            },
            Policies = new object[]
            {
                new Amazon.CDK.AWS.IAM.CfnRole.PolicyProperty
                {
                    PolicyName = "WriteFlowLog",
                    PolicyDocument = new Dictionary<string, object>
                    {
                        ["Version"] = "2012-10-17",
                        ["Statement"] = new object[]
                        {
                            new Dictionary<string, object>
                            {
                                ["Effect"] = "Allow",
                                ["Action"] = new[] { "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams" },
                                ["Resource"] = group.AttrArn,
                            },
                        },
                    },
                },
            },
        });
        _ = new CfnFlowLog(this, "FlowLog", new CfnFlowLogProps
        {
            ResourceId = vpc.Ref,
            ResourceType = "VPC",
            TrafficType = "ALL",
            LogDestinationType = "cloud-watch-logs",
            LogGroupName = group.Ref,
            DeliverLogsPermissionArn = role.AttrArn,
            Tags = [new CfnTag { Key = "Name", Value = $"{props.NamePrefix}-build" }],
        });
    }
}
