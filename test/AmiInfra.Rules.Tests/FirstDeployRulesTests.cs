namespace AmiInfra.Rules.Tests;

/// <summary>
/// The rules about what AWS needs at run time: where a service-managed StackSet can be created from, which
/// output parameters Image Builder's service-linked role may write, which launch-template accounts the
/// distribution role reaches, where retain-at-least applies, and the build network choices.
/// </summary>
public sealed class FirstDeployRulesTests
{
    private const string Factory = "123456789012";
    private const string Management = "999988887777";

    [Fact]
    public void Each_way_of_creating_a_stackset_has_the_call_as_aws_accepts_there()
    {
        Assert.Equal("DELEGATED_ADMIN", StackSets.DelegatedAdministrator.CallAs);
        Assert.Equal("SELF", StackSets.ManagementAccount.CallAs);
        Assert.Same(StackSets.DelegatedAdministrator, StackSets.Deployments[0]);
        Assert.Same(StackSets.ManagementAccount, StackSets.Named("management-account"));
        Assert.Null(StackSets.Named("SELF"));
    }

    [Theory]
    [InlineData("delegated-administrator", Factory, null, true)]
    [InlineData("delegated-administrator", Factory, Management, true)]
    [InlineData("delegated-administrator", Management, Management, false)]
    [InlineData("management-account", Management, Management, true)]
    [InlineData("management-account", Factory, Management, false)]
    [InlineData("management-account", Management, null, false)]
    public void A_stackset_is_created_only_where_its_call_as_works(string way, string stackAccount, string? management, bool works)
    {
        var problem = StackSets.DeployedFrom(StackSets.Named(way)!, stackAccount, management);
        Assert.Equal(works, problem is null);
    }

    [Fact]
    public void Service_managed_stacksets_never_reach_the_management_account()
    {
        Assert.NotNull(StackSets.TargetAccount(Management, Management));
        Assert.Null(StackSets.TargetAccount("444455556666", Management));
        Assert.Null(StackSets.TargetAccount(Management, null));
    }

    [Theory]
    [InlineData("/imagebuilder/golden/al2023/latest", true)]
    [InlineData("/imagebuilder/x", true)]
    [InlineData("/amiinfra/golden/al2023/latest", false)]
    [InlineData("/platform/ami/latest", false)]
    [InlineData("imagebuilder/golden", false)]
    [InlineData("/ImageBuilder/golden", false)]
    public void Output_parameters_are_under_the_path_the_service_linked_role_may_write(string name, bool writable)
    {
        Assert.Equal(writable, Distributions.ServiceLinkedRoleParameter.Check(name) is null);
    }

    [Theory]
    [InlineData(true, true, null, true)]
    [InlineData(false, true, null, false)]
    [InlineData(true, false, null, false)]
    [InlineData(true, true, "111122223333", false)]
    public void Launch_templates_of_other_accounts_need_the_role_there_and_the_ami(bool roleDeployed, bool canLaunch, string? management, bool accepted)
    {
        Assert.Equal(accepted, Distributions.LaunchTemplateAccount("111122223333", roleDeployed, canLaunch, management) is null);
    }

    [Fact]
    public void Retain_at_least_applies_to_delete_rules_only()
    {
        Assert.Equal(["delete"], Lifecycles.RetainAtLeastSteps);
    }

    [Theory]
    [InlineData("default-vpc", false, false, null)]
    [InlineData("subnet", true, true, null)]
    [InlineData("factory-vpc", false, false, null)]
    [InlineData("subnet", false, false, "subnetId")]
    [InlineData("factory-vpc", true, false, "subnetId")]
    [InlineData("default-vpc", false, true, "securityGroupIds")]
    [InlineData("vpc", false, false, "network")]
    public void Each_network_choice_takes_only_its_own_settings(string network, bool subnet, bool groups, string? faultAt)
    {
        Assert.Equal(faultAt, Builds.Network(network, subnet, groups)?.Part);
    }

    [Fact]
    public void Consumers_grant_auto_scaling_the_operations_the_auto_scaling_guide_lists()
    {
        Assert.Equal(["Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "DescribeKey", "CreateGrant"], Kms.AutoScalingGrantOperations);
        Assert.Equal("ec2.*.amazonaws.com.cn", Kms.ViaEc2(Partitions.China.DnsSuffix));
    }

    [Fact]
    public void A_stackset_template_body_is_at_most_51200_bytes()
    {
        Assert.Null(StackSets.TemplateBody(StackSets.MaxTemplateBodyBytes));
        var problem = StackSets.TemplateBody(StackSets.MaxTemplateBodyBytes + 1);
        Assert.NotNull(problem);
        Assert.Equal("51,201 bytes", problem.Value);
        Assert.Contains("51,200", problem.Accepted, StringComparison.Ordinal);
    }
}
