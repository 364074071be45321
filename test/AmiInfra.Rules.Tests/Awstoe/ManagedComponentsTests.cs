using AmiInfra.Rules.Awstoe;

namespace AmiInfra.Rules.Tests.Awstoe;

/// <summary>AWS-managed components named by a recipe: their platform, and names the catalog does not know.</summary>
public sealed class ManagedComponentsTests
{
    [Theory]
    [InlineData("update-linux", ToePlatforms.Linux)]
    [InlineData("update-windows", ToePlatforms.Windows)]
    [InlineData("stig-build-linux-high", ToePlatforms.Linux)]
    [InlineData("amazon-cloudwatch-agent-linux", ToePlatforms.Linux)]
    [InlineData("reboot-test-windows", ToePlatforms.Windows)]
    public void A_known_component_on_its_platform_is_accepted_without_a_warning(string name, ToePlatforms platform)
    {
        Assert.Null(ManagedComponents.Check(name, platform, out var warning));
        Assert.Null(warning);
    }

    [Fact]
    public void A_component_of_the_other_platform_is_refused_naming_its_counterpart()
    {
        var problem = ManagedComponents.Check("update-linux", ToePlatforms.Windows, out var warning);

        Assert.NotNull(problem);
        Assert.Null(warning);
        Assert.Equal("\"update-linux\" (a Linux component) on a Windows image", problem.Value);
        Assert.Equal("an AWS-managed component for Windows, such as update-windows", problem.Accepted);
    }

    [Theory]
    [InlineData("amazon-cloudwatch-agent-linux", "amazon-cloudwatch-agent-windows")]
    [InlineData("aws-codedeploy-agent-linux", "aws-codedeploy-agent-windows")]
    public void A_linux_agent_on_windows_is_refused_naming_the_windows_agent(string linux, string windows)
    {
        var problem = ManagedComponents.Check(linux, ToePlatforms.Windows, out _);

        Assert.Equal($"an AWS-managed component for Windows, such as {windows}", problem?.Accepted);
        Assert.Null(ManagedComponents.Check(windows, ToePlatforms.Windows, out var warning));
        Assert.Null(warning);
    }

    [Fact]
    public void Chocolatey_is_windows_only()
    {
        Assert.Null(ManagedComponents.Check("chocolatey", ToePlatforms.Windows, out _));
        Assert.Equal("an AWS-managed component for Linux", ManagedComponents.Check("chocolatey", ToePlatforms.Linux, out _)?.Accepted);
    }

    [Fact]
    public void A_windows_only_component_on_linux_is_refused()
    {
        var problem = ManagedComponents.Check("powershell-lts-windows", ToePlatforms.Linux, out _);

        Assert.NotNull(problem);
        Assert.Equal("an AWS-managed component for Linux", problem.Accepted);
    }

    [Fact]
    public void An_unknown_name_is_accepted_with_a_warning_naming_the_closest_names()
    {
        Assert.Null(ManagedComponents.Check("update-linx", ToePlatforms.Linux, out var warning));

        Assert.Equal("\"update-linx\" is not an AWS-managed component AmiInfra knows (did you mean update-linux?); it is used as written and must exist in every region the factory builds in", warning);
    }

    [Fact]
    public void The_closest_names_are_those_of_the_images_platform()
    {
        Assert.Null(ManagedComponents.Check("reboot-windowz", ToePlatforms.Windows, out var warning));

        Assert.Contains("(did you mean reboot-windows?)", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("linux", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_close_to_nothing_gets_no_suggestion()
    {
        Assert.Null(ManagedComponents.Check("inspector-test-linux", ToePlatforms.Linux, out var warning));

        Assert.StartsWith("\"inspector-test-linux\" is not an AWS-managed component AmiInfra knows; it is used as written", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Closest_takes_at_most_two_names_nearest_first()
    {
        Assert.Equal(["python-3-linux"], Text.Closest("python-3-linu", ["python-3-linux", "python-3-windows", "hello-world-linux"], 3));
        Assert.Equal(["reboot-linux", "reboot-windows"], Text.Closest("reboot-l", ["reboot-windows", "reboot-linux", "update-linux"], 20));
    }
}
