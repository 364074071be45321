using Amazon.EC2;
using Amazon.Runtime;
using AmiInfra.Ops.Aws;

namespace AmiInfra.Ops.Usage;

/// <summary>
/// Finds who uses AMIs: EC2's DescribeImageReferences (instances, launch templates, SSM parameters,
/// Image Builder recipes; https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImageReferences.html)
/// and, where the endpoint does not offer it or the credentials may not call it, DescribeInstances (any
/// state but terminated) and the default and latest versions of every launch template. The answer says
/// which one answered.
/// </summary>
public static class UsageFinder
{
    /// <summary>The name of the primary API.</summary>
    public const string Primary = "DescribeImageReferences";

    /// <summary>The usage of each of <paramref name="imageIds"/> in the gateway's region.</summary>
    public static async Task<UsageLookup> FindAsync(RegionGateway gateway, IReadOnlyCollection<string> imageIds, CancellationToken cancellationToken)
    {
        var ids = imageIds.Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return new UsageLookup(new Dictionary<string, ImageUsage>(), "none (no AMI to look up)");
        }

        var key = (Primary, gateway.Region);
        if (!gateway.Session.Unavailable.TryGetValue(key, out var reason))
        {
            try
            {
                var references = await gateway.ImageReferencesAsync(ids, cancellationToken).ConfigureAwait(false);
                return new UsageLookup(ids.ToDictionary(id => id, id => FromReferences(id, references.Where(r => r.ImageId == id).Select(r => ((string?)r.ResourceType?.Value, (string?)r.Arn))), StringComparer.Ordinal), Primary);
            }
            catch (AmazonServiceException e) when (AwsErrors.IsUnavailable(e))
            {
                reason = AwsErrors.Unavailability(e);
                gateway.Session.Unavailable[key] = reason;
            }
        }

        var instances = await gateway.InstancesOfAsync(ids, cancellationToken).ConfigureAwait(false);
        var templates = await gateway.LaunchTemplateVersionsAsync(cancellationToken).ConfigureAwait(false);
        var byImage = ids.ToDictionary(
            id => id,
            id => new ImageUsage
            {
                ImageId = id,
                Instances = instances.Where(i => i.ImageId == id).Select(i => i.InstanceId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                LaunchTemplates = templates
                    .Where(v => v.LaunchTemplateData?.ImageId == id)
                    .GroupBy(v => v.LaunchTemplateId, StringComparer.Ordinal)
                    .Select(g => $"{g.Key} (version {string.Join(", ", g.Select(v => v.VersionNumber).Distinct().Order())})")
                    .Order(StringComparer.Ordinal)
                    .ToList(),
            },
            StringComparer.Ordinal);
        return new UsageLookup(byImage, $"DescribeInstances and DescribeLaunchTemplateVersions ({Primary} {reason})");
    }

    /// <summary>Sorts DescribeImageReferences results by kind (the id is the last part of the ARN).</summary>
    public static ImageUsage FromReferences(string imageId, IEnumerable<(string? Type, string? Arn)> references)
    {
        var list = references.Where(r => r.Arn is not null).ToList();
        List<string> Of(string type, Func<string, string> id) =>
            list.Where(r => r.Type == type).Select(r => id(r.Arn!)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new ImageUsage
        {
            ImageId = imageId,
            Instances = Of(ImageReferenceResourceType.Ec2Instance.Value, AfterSlash),
            LaunchTemplates = Of(ImageReferenceResourceType.Ec2LaunchTemplate.Value, AfterSlash),
            SsmParameters = Of(ImageReferenceResourceType.SsmParameter.Value, arn => arn.Contains(":parameter/", StringComparison.Ordinal) ? arn[(arn.IndexOf(":parameter", StringComparison.Ordinal) + 10)..] : arn),
            Recipes = list.Where(r => r.Type?.StartsWith("imagebuilder:", StringComparison.Ordinal) == true).Select(r => r.Arn!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        };
    }

    private static string AfterSlash(string arn) => arn[(arn.IndexOf('/', StringComparison.Ordinal) + 1)..];
}
