namespace CSharpFactory;

/// <summary>What the example factory is: its name, where it builds, and whom it shares with.</summary>
public sealed record FactorySettings
{
    /// <summary>The factory name: it prefixes every physical name.</summary>
    public required string Name { get; init; }

    /// <summary>The factory account.</summary>
    public required string Account { get; init; }

    /// <summary>The region the images are built in.</summary>
    public required string HomeRegion { get; init; }

    /// <summary>The regions the images are distributed to, the home region included.</summary>
    public required IReadOnlyList<string> Regions { get; init; }

    /// <summary>Accounts that may launch the images.</summary>
    public IReadOnlyList<string> LaunchAccounts { get; init; } = [];

    /// <summary>OUs whose accounts may launch the images.</summary>
    public IReadOnlyList<string> LaunchOrganizationalUnitArns { get; init; } = [];

    /// <summary>The images of the factory.</summary>
    public static readonly IReadOnlyList<string> ImageNames = ["al2023", "ubuntu2404"];

    /// <summary>The alias of the AMI key in every region (after alias/).</summary>
    public string KeyAlias => $"{Name}/ami";

    /// <summary>The stack properties of a stack of the factory in <paramref name="region"/>.</summary>
    public Amazon.CDK.StackProps StackProps(string stackName, string region, string description) => new()
    {
        StackName = stackName,
        Env = new Amazon.CDK.Environment { Account = Account, Region = region },
        Description = description,
    };
}
