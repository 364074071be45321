namespace AmiInfra.Rules.Awstoe;

/// <summary>An AWS-managed (Amazon-owned) Image Builder component.</summary>
/// <param name="Name">Its name, as its ARN has it (arn:partition:imagebuilder:region:aws:component/name/version).</param>
/// <param name="Platform">The platform it is for.</param>
public sealed record ManagedComponent(string Name, ToePlatforms Platform);

/// <summary>
/// The AWS-managed components AmiInfra knows, from AWS's documentation: "Manage security patches"
/// (update-linux, update-windows), "STIG hardening components" (stig-build-*, scap-checker-*), and
/// the AWS CDK's Image Builder module (aws-imagebuilder-alpha, AwsManagedComponent), and the Amazon-owned components
/// Windows recipes name most (the CloudWatch agent, the CodeDeploy agent, PowerShell and Chocolatey: arn:aws:imagebuilder:
/// region:aws:component/name/x.x.x as published recipes use them). A name of the
/// catalog is checked against the image's platform; a name the catalog does not have is accepted
/// with a warning naming the closest known names, since AWS adds components after any catalog.
/// </summary>
public static class ManagedComponents
{
    /// <summary>The catalog.</summary>
    public static readonly IReadOnlyList<ManagedComponent> Catalog =
    [
        new("update-linux", ToePlatforms.Linux),
        new("update-windows", ToePlatforms.Windows),
        new("aws-cli-version-2-linux", ToePlatforms.Linux),
        new("aws-cli-version-2-windows", ToePlatforms.Windows),
        new("amazon-cloudwatch-agent-linux", ToePlatforms.Linux),
        new("amazon-cloudwatch-agent-windows", ToePlatforms.Windows),
        new("aws-codedeploy-agent-linux", ToePlatforms.Linux),
        new("aws-codedeploy-agent-windows", ToePlatforms.Windows),
        new("powershell-windows", ToePlatforms.Windows),
        new("chocolatey", ToePlatforms.Windows),
        new("hello-world-linux", ToePlatforms.Linux),
        new("hello-world-windows", ToePlatforms.Windows),
        new("python-3-linux", ToePlatforms.Linux),
        new("python-3-windows", ToePlatforms.Windows),
        new("reboot-linux", ToePlatforms.Linux),
        new("reboot-windows", ToePlatforms.Windows),
        new("reboot-test-windows", ToePlatforms.Windows),
        new("powershell-lts-windows", ToePlatforms.Windows),
        new("windows-activation-test", ToePlatforms.Windows),
        new("stig-build-linux", ToePlatforms.Linux),
        new("stig-build-linux-low", ToePlatforms.Linux),
        new("stig-build-linux-medium", ToePlatforms.Linux),
        new("stig-build-linux-high", ToePlatforms.Linux),
        new("stig-build-windows", ToePlatforms.Windows),
        new("stig-build-windows-low", ToePlatforms.Windows),
        new("stig-build-windows-medium", ToePlatforms.Windows),
        new("stig-build-windows-high", ToePlatforms.Windows),
        new("scap-checker-linux", ToePlatforms.Linux),
        new("scap-checker-windows", ToePlatforms.Windows),
    ];

    /// <summary>
    /// A managed component for an image of <paramref name="platform"/>: a catalog component of another
    /// platform is a problem; an unknown name is no problem but gives a warning (<paramref name="warning"/>).
    /// </summary>
    public static Problem? Check(string name, ToePlatforms platform, out string? warning)
    {
        warning = null;
        var known = Catalog.FirstOrDefault(c => c.Name == name);
        if (known is null)
        {
            var close = Text.Closest(name, Catalog.Where(c => (c.Platform & platform) != 0).Select(c => c.Name), 3);
            warning = $"\"{name}\" is not an AWS-managed component AmiInfra knows{(close.Count == 0 ? "" : $" (did you mean {string.Join(" or ", close)}?)")}; it is used as written and must exist in every region the factory builds in";
            return null;
        }

        if ((known.Platform & platform) == 0)
        {
            var counterpart = Catalog.FirstOrDefault(c => (c.Platform & platform) != 0 && Stem(c.Name) == Stem(name));
            return new Problem(
                $"{Text.Quote(name)} (a {ActionModules.Describe(known.Platform)} component) on a {ActionModules.Describe(platform)} image",
                $"an AWS-managed component for {ActionModules.Describe(platform)}{(counterpart is null ? "" : $", such as {counterpart.Name}")}");
        }

        return null;
    }

    private static string Stem(string name) => name.Replace("-linux", "", StringComparison.Ordinal).Replace("-windows", "", StringComparison.Ordinal);
}
