namespace AmiInfra.Rules.Tests;

/// <summary>The Allowed AMIs criteria and account controls at both edges of EC2's limits (API_ImageCriterionRequest).</summary>
public sealed class GovernanceRulesTests
{
    [Theory]
    [InlineData("amazon")]
    [InlineData("aws-marketplace")]
    [InlineData("aws-backup-vault")]
    [InlineData("none")]
    [InlineData("111122223333")]
    public void Each_provider_ec2_names_is_accepted(string provider) => Assert.Null(Governance.Providers([provider]));

    [Theory]
    [InlineData("Amazon")]
    [InlineData("self")]
    [InlineData("11112222333")]
    [InlineData("1111222233334")]
    [InlineData("aws-backup")]
    [InlineData("")]
    public void Other_providers_are_refused(string provider)
    {
        var problem = Governance.Providers(["amazon", provider]);
        Assert.NotNull(problem);
        Assert.Equal(1, problem!.Index);
    }

    [Fact]
    public void At_most_200_providers_per_criterion()
    {
        var accounts = Enumerable.Range(0, Governance.MaxProviders + 1).Select(i => (100000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Null(Governance.Providers(accounts.Take(Governance.MaxProviders).ToList()));
        Assert.Equal("201 image providers", Governance.Providers(accounts)!.Value);
    }

    [Fact]
    public void None_stands_alone_and_no_provider_is_listed_twice()
    {
        Assert.Null(Governance.Providers(["none"]));
        Assert.Equal(1, Governance.Providers(["amazon", "none"])!.Index);
        var twice = Governance.Providers(["amazon", "amazon"])!;
        Assert.Equal((1, 0), (twice.Index!.Value, twice.DuplicateOf!.Value));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("al2023-ami-*")]
    [InlineData("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*")]
    [InlineData("Windows_Server-2022-English-Full-Base (x) [1] O'Brien @ team")]
    [InlineData("a?b")]
    [InlineData("???")]
    public void Name_patterns_ec2_takes_are_accepted(string name) => Assert.Null(Governance.Name(name));

    [Theory]
    [InlineData("")]
    [InlineData("golden:al2023")]
    [InlineData("golden,al2023")]
    [InlineData("golden#1")]
    [InlineData("a?")]
    [InlineData("?")]
    public void Other_name_patterns_are_refused(string name) => Assert.NotNull(Governance.Name(name));

    [Fact]
    public void Name_patterns_are_at_most_128_characters_and_50_per_criterion()
    {
        Assert.Null(Governance.Name(new string('a', Governance.MaxNameLength)));
        Assert.NotNull(Governance.Name(new string('a', Governance.MaxNameLength + 1)));
        var names = Enumerable.Range(0, Governance.MaxNames + 1).Select(i => $"golden-{i}-*").ToList();
        Assert.Null(Governance.Names(names.Take(Governance.MaxNames).ToList()));
        Assert.NotNull(Governance.Names(names));
        Assert.Equal(1, Governance.Names(["a*", "a*"])!.Index);
    }

    [Theory]
    [InlineData(0L, true)]
    [InlineData(2147483647L, true)]
    [InlineData(-1L, false)]
    [InlineData(2147483648L, false)]
    public void Days_conditions_take_ec2s_range(long days, bool accepted) => Assert.Equal(accepted, Governance.Days(days) is null);

    [Theory]
    [InlineData(0, true)]
    [InlineData(10, true)]
    [InlineData(11, false)]
    public void At_most_10_criteria(int count, bool accepted) => Assert.Equal(accepted, Governance.Criteria(count) is null);

    [Theory]
    [InlineData("audit-mode", true)]
    [InlineData("enabled", true)]
    [InlineData("disabled", false)]
    [InlineData("Enabled", false)]
    public void Modes_are_those_enable_allowed_images_settings_takes(string mode, bool accepted) => Assert.Equal(accepted, Governance.Mode(mode) is null);

    [Fact]
    public void The_default_mode_reports_before_it_enforces() => Assert.Equal("audit-mode", Governance.DefaultAllowedImagesMode);

    [Fact]
    public void A_public_image_is_refused_only_while_image_block_public_access_is_on()
    {
        Assert.NotNull(Governance.PublicImageUnderBlock(true, true));
        Assert.Null(Governance.PublicImageUnderBlock(true, false));
        Assert.Null(Governance.PublicImageUnderBlock(false, true));
    }
}
