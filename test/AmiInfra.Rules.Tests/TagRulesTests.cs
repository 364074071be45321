using AmiInfra.Rules;

namespace AmiInfra.Rules.Tests;

/// <summary>The tag rules of each destination, at their edges.</summary>
public sealed class TagRulesTests
{
    private static Dictionary<string, string> Tag(string key, string value = "v") => new() { [key] = value };

    public static TheoryData<string> Rules() => ["Aws", "Ec2", "ImageBuilder", "Lifecycle", "Stack", "StackSet", "RecycleBin"];

    private static TagRule Rule(string name) => name switch
    {
        "Aws" => TagRules.Aws,
        "Ec2" => TagRules.Ec2,
        "ImageBuilder" => TagRules.ImageBuilder,
        "Lifecycle" => TagRules.Lifecycle,
        "Stack" => TagRules.Stack,
        "StackSet" => TagRules.StackSet,
        _ => TagRules.RecycleBin,
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Every_rule_takes_keys_of_128_and_values_of_256_and_no_more(string name)
    {
        var rule = Rule(name);

        Assert.Null(rule.Check(Tag(new string('k', 128), new string('v', 256))));
        Assert.Equal(new string('k', 129), rule.Check(Tag(new string('k', 129)))?.Part);
        Assert.NotNull(rule.Check(Tag("k", new string('v', 257))));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Every_rule_refuses_the_aws_prefix_and_more_tags_than_its_limit(string name)
    {
        var rule = Rule(name);
        var full = Enumerable.Range(0, rule.MaxTags).ToDictionary(i => $"k{i}", _ => "v");

        Assert.NotNull(rule.Check(Tag("aws:owner")));
        Assert.Null(rule.Check(full));
        Assert.NotNull(rule.Check(new Dictionary<string, string>(full) { ["one-more"] = "v" }));
        Assert.Null(rule.Total(rule.MaxTags, "sources"));
        Assert.NotNull(rule.Total(rule.MaxTags + 1, "sources"));
    }

    [Theory]
    [InlineData("Aws", "Kostenstelle-Büro", true)]
    [InlineData("Ec2", "Kostenstelle-Büro", true)]
    [InlineData("Stack", "Kostenstelle-Büro", true)]
    [InlineData("RecycleBin", "コスト", true)]
    [InlineData("ImageBuilder", "Kostenstelle-Büro", false)]
    [InlineData("Lifecycle", "Kostenstelle-Büro", false)]
    [InlineData("StackSet", "Kostenstelle-Büro", false)]
    [InlineData("ImageBuilder", "cost center", true)]
    [InlineData("ImageBuilder", "owner@team", true)]
    [InlineData("ImageBuilder", "a_b.c:d/e=f+g-h", true)]
    [InlineData("ImageBuilder", "a|b", false)]
    [InlineData("StackSet", "owner@team", false)]
    [InlineData("StackSet", "cost center", true)]
    [InlineData("Aws", "a|b", false)]
    [InlineData("Ec2", "a|b", true)]
    public void Takes_the_characters_its_service_documents_in_keys(string name, string key, bool accepted)
    {
        Assert.Equal(accepted, Rule(name).Check(Tag(key)) is null);
    }

    [Theory]
    [InlineData("Stack", "", false)]
    [InlineData("StackSet", "", false)]
    [InlineData("Aws", "", true)]
    [InlineData("ImageBuilder", "", true)]
    [InlineData("Ec2", "2026.11 — LTS", true)]
    [InlineData("ImageBuilder", "a|b", true)]
    [InlineData("Aws", "a|b", false)]
    [InlineData("Stack", "Plattform München", true)]
    public void Takes_the_values_its_service_documents(string name, string value, bool accepted)
    {
        Assert.Equal(accepted, Rule(name).Check(Tag("key", value)) is null);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Every_rule_refuses_the_reserved_prefix_in_keys_in_any_case(string name)
    {
        var rule = Rule(name);

        foreach (var key in new[] { "aws:owner", "AWS:owner", "Aws:owner", "aWs:owner" })
        {
            Assert.Equal(key, rule.Check(Tag(key))?.Part);
        }

        Assert.Null(rule.Check(Tag("owner-aws:team")));
        Assert.Null(rule.Check(Tag("awsome")));
    }

    [Theory]
    [InlineData("Aws", false)]
    [InlineData("Stack", false)]
    [InlineData("StackSet", false)]
    [InlineData("Ec2", true)]
    [InlineData("ImageBuilder", true)]
    [InlineData("Lifecycle", true)]
    [InlineData("RecycleBin", true)]
    public void Reserves_the_prefix_in_values_only_where_a_tag_reaches_every_kind_of_resource(string name, bool accepted)
    {
        var rule = Rule(name);

        foreach (var value in new[] { "aws:managed", "AWS:managed", "Aws:managed" })
        {
            Assert.Equal(accepted, rule.Check(Tag("key", value)) is null);
        }

        Assert.Null(rule.Check(Tag("key", "managed-by-aws:platform")));
    }
}
