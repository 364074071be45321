using AmiInfra.Rules;

namespace AmiInfra.Rules.Tests;

/// <summary>Partitions, AMI names, output parameters and sharing limits at their edges.</summary>
public sealed class DistributionAndPartitionTests
{
    [Fact]
    public void Every_region_belongs_to_exactly_one_partition_and_is_accepted_there_only()
    {
        foreach (var partition in Partitions.All)
        {
            foreach (var region in partition.Regions)
            {
                Assert.Same(partition, Partitions.Of(region));
                Assert.Null(Partitions.RegionIn(region, partition));
                Assert.All(Partitions.All.Where(p => p != partition), other =>
                {
                    var problem = Partitions.RegionIn(region, other);
                    Assert.NotNull(problem);
                    Assert.Contains(partition.Name, problem.Value, StringComparison.Ordinal);
                    Assert.Contains(other.Name, problem.Accepted, StringComparison.Ordinal);
                });
            }
        }
    }

    [Theory]
    [InlineData("eu-middle-1")]
    [InlineData("us-east-1a")]
    [InlineData("US-EAST-1")]
    public void Refuses_a_region_that_is_not_one(string region) => Assert.Equal(Partitions.RegionAccepted, Partitions.Region(region)?.Accepted);

    [Theory]
    [InlineData("golden-al2023-{{ imagebuilder:buildDate }}")]
    [InlineData("{{ imagebuilder:buildDate }}")]
    [InlineData("Golden AL2023 v1.2 {{ imagebuilder:buildDate }}")]
    [InlineData("_golden_{{ imagebuilder:buildDate }}-")]
    [InlineData("golden-{{imagebuilder:buildDate}}")]
    [InlineData("golden {{imagebuilder:buildVersion}} {{imagebuilder:buildDate}}")]
    [InlineData("golden-{{ imagebuilder:buildVersion }}-{{ imagebuilder:buildDate }}")]
    [InlineData("golden-{{ imagebuilder:buildDate }}-{{imagebuilder:buildVersion}}")]
    public void Accepts_an_ami_name_both_image_builder_and_ec2_take(string name) => Assert.Null(Distributions.AmiName(name));

    [Theory]
    [InlineData("{{ imagebuilder:buildDate }}")]
    [InlineData("{{imagebuilder:buildDate}}")]
    public void Accepts_an_ami_name_of_127_characters_and_not_128(string placeholder)
    {
        Assert.Null(Distributions.AmiName(new string('a', 127 - placeholder.Length) + placeholder));
        Assert.NotNull(Distributions.AmiName(new string('a', 128 - placeholder.Length) + placeholder));
    }

    [Theory]
    [InlineData("golden:al2023-{{ imagebuilder:buildDate }}", "letters, digits, spaces and - _ .")]
    [InlineData("golden (al2023) {{ imagebuilder:buildDate }}", "letters, digits, spaces and - _ .")]
    [InlineData("golden {stable} {{ imagebuilder:buildDate }}", "letters, digits, spaces and - _ .")]
    [InlineData("golden-{{ imagebuilder:buildVersion }}", "containing {{ imagebuilder:buildDate }} (or {{imagebuilder:buildDate}})")]
    [InlineData("golden-{{ imagebuilder:buildDate}}", "letters, digits, spaces and - _ .")]
    [InlineData("golden-{{imagebuilder:buildDate }}", "letters, digits, spaces and - _ .")]
    [InlineData("golden-{{  imagebuilder:buildDate  }}", "letters, digits, spaces and - _ .")]
    [InlineData("golden-{{ imagebuilder:builddate }}", "letters, digits, spaces and - _ .")]
    [InlineData("golden-{{ imagebuilder:buildTime }}", "letters, digits, spaces and - _ .")]
    [InlineData(" golden {{ imagebuilder:buildDate }}", "letters, digits, spaces and - _ .")]
    [InlineData("golden-al2023", "containing {{ imagebuilder:buildDate }}")]
    public void Refuses_an_ami_name_image_builder_or_ec2_refuses(string name, string accepted)
    {
        Assert.Contains(accepted, Distributions.AmiName(name)?.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Counts_the_arn_of_each_region_within_parameter_stores_1011_characters()
    {
        const string account = "123456789012";
        foreach (var region in new[] { "us-east-1", "ap-southeast-2", "us-gov-west-1", "cn-northwest-1" })
        {
            var partition = Partitions.NameOf(region);
            var room = 1011 - $"arn:{partition}:ssm:{region}:{account}:parameter".Length;
            Assert.Null(Distributions.OutputParameterLength("/" + new string('p', room - 1), partition, region, account));
            Assert.NotNull(Distributions.OutputParameterLength("/" + new string('p', room), partition, region, account));
        }
    }

    [Fact]
    public void Counts_launch_permission_principals_as_image_builder_and_ec2_do()
    {
        Assert.Null(Distributions.Principals(950, 25, 25));
        Assert.Equal("organizations", Distributions.Principals(0, 26, 0)?.Part);
        Assert.Equal("organizationalUnits", Distributions.Principals(0, 0, 26)?.Part);
        Assert.Null(Distributions.Principals(1000, 0, 0));
        var problem = Distributions.Principals(951, 25, 25);
        Assert.Equal("1001 launch-permission principals", problem?.Value);
        Assert.Null(problem!.Part);
    }
}
