using Amazon.EC2.Model;

namespace AmiInfra.Ops.Finding;

/// <summary>What <c>find</c> looks for, as "Finding a Linux AMI" describes it.</summary>
public sealed record ImageQuery
{
    /// <summary>Owners: self, amazon, aws-marketplace, or account ids. Empty: every AMI the account may launch.</summary>
    public IReadOnlyList<string> Owners { get; init; } = [];

    /// <summary>Name pattern (* and ? wildcards).</summary>
    public string? Name { get; init; }

    /// <summary>i386, x86_64, arm64, x86_64_mac or arm64_mac.</summary>
    public string? Architecture { get; init; }

    /// <summary>hvm or paravirtual.</summary>
    public string? VirtualizationType { get; init; }

    /// <summary>ebs or instance-store.</summary>
    public string? RootDeviceType { get; init; }

    /// <summary>linux or windows.</summary>
    public string? Platform { get; init; }

    /// <summary>Include deprecated and disabled AMIs.</summary>
    public bool IncludeDeprecated { get; init; }

    /// <summary>The EC2 filters for the query (linux is filtered after the call: EC2 filters only on windows).</summary>
    public IReadOnlyList<Filter> Filters()
    {
        var filters = new List<Filter>();
        Add(filters, "name", Name);
        Add(filters, "architecture", Architecture);
        Add(filters, "virtualization-type", VirtualizationType);
        Add(filters, "root-device-type", RootDeviceType);
        if (Platform == "windows")
        {
            Add(filters, "platform", "windows");
        }

        return filters;
    }

    /// <summary>
    /// Whether an AMI returned by EC2 matches the parts of the query EC2 cannot filter on: the linux platform, and — without
    /// <see cref="IncludeDeprecated"/> — not deprecated nor disabled. EC2 leaves out other owners' deprecated AMIs itself,
    /// but "if you are the AMI owner, all deprecated AMIs appear in the response regardless" of IncludeDeprecated
    /// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html), so --owner self needs this.
    /// </summary>
    public bool Matches(Image image, DateTimeOffset now) =>
        (Platform != "linux" || image.Platform?.Value is null || image.Platform.Value.Length == 0)
        && (IncludeDeprecated || (Output.Formats.ParseTime(image.DeprecationTime) is not { } deprecated || deprecated > now) && image.State?.Value != "disabled");

    private static void Add(List<Filter> filters, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            filters.Add(new Filter { Name = name, Values = [value] });
        }
    }
}
