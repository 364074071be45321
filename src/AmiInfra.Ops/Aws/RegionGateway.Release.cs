using System.Security.Cryptography;
using System.Text;
using Amazon.EC2.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace AmiInfra.Ops.Aws;

/// <summary>The calls of <c>amiinfra release promote|rollback</c>: each is idempotent, and failures propagate (the command stops).</summary>
public sealed partial class RegionGateway
{
    /// <summary>
    /// Points an image's "latest" parameter at an AMI: PutParameter, type String, data type aws:ec2:image (SSM then
    /// checks the value is an AMI the account can use), overwriting the value
    /// (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-ec2-aliases.html).
    /// </summary>
    public Task PutImageParameterAsync(string name, string imageId, CancellationToken cancellationToken) =>
        session.Ssm(Region).PutParameterAsync(new PutParameterRequest { Name = name, Value = imageId, Type = ParameterType.String, DataType = "aws:ec2:image", Overwrite = true }, cancellationToken);

    /// <summary>The default version of a launch template (or its latest, when <paramref name="latest"/>): its number and AMI.</summary>
    public async Task<(long Version, string? ImageId)> LaunchTemplateVersionAsync(string launchTemplateId, bool latest, CancellationToken cancellationToken)
    {
        var response = await ec2.DescribeLaunchTemplateVersionsAsync(new DescribeLaunchTemplateVersionsRequest { LaunchTemplateId = launchTemplateId, Versions = [latest ? "$Latest" : "$Default"] }, cancellationToken).ConfigureAwait(false);
        var version = response.LaunchTemplateVersions?.FirstOrDefault();
        return (version?.VersionNumber ?? 0, version?.LaunchTemplateData?.ImageId);
    }

    /// <summary>
    /// Creates a version of a launch template from <paramref name="sourceVersion"/> with another AMI (the new version
    /// "inherits the same launch parameters as the source version, except for parameters that you specify",
    /// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplateVersion.html) and returns its
    /// number. The client token follows from the template and the AMI: a retried call makes no second version.
    /// </summary>
    public async Task<long> CreateLaunchTemplateVersionAsync(string launchTemplateId, long sourceVersion, string imageId, string description, CancellationToken cancellationToken)
    {
        var token = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{launchTemplateId}/{sourceVersion}/{imageId}")))[..32];
        var response = await ec2.CreateLaunchTemplateVersionAsync(new CreateLaunchTemplateVersionRequest
        {
            LaunchTemplateId = launchTemplateId,
            SourceVersion = sourceVersion > 0 ? sourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            LaunchTemplateData = new RequestLaunchTemplateData { ImageId = imageId },
            VersionDescription = description,
            ClientToken = token,
        }, cancellationToken).ConfigureAwait(false);
        return response.LaunchTemplateVersion.VersionNumber ?? 0;
    }

    /// <summary>Makes a version the launch template's default (ModifyLaunchTemplate).</summary>
    public Task SetDefaultLaunchTemplateVersionAsync(string launchTemplateId, long version, CancellationToken cancellationToken) =>
        ec2.ModifyLaunchTemplateAsync(new ModifyLaunchTemplateRequest { LaunchTemplateId = launchTemplateId, DefaultVersion = version.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken);

    /// <summary>
    /// Turns deregistration protection on, with the 24-hour cooldown: once turned off again, the AMI still cannot be
    /// deregistered for 24 hours (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableImageDeregistrationProtection.html).
    /// </summary>
    public Task EnableDeregistrationProtectionAsync(string imageId, CancellationToken cancellationToken) =>
        ec2.EnableImageDeregistrationProtectionAsync(new EnableImageDeregistrationProtectionRequest { ImageId = imageId, WithCooldown = true }, cancellationToken);

    /// <summary>Turns deregistration protection off (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisableImageDeregistrationProtection.html).</summary>
    public Task DisableDeregistrationProtectionAsync(string imageId, CancellationToken cancellationToken) =>
        ec2.DisableImageDeregistrationProtectionAsync(new DisableImageDeregistrationProtectionRequest { ImageId = imageId }, cancellationToken);
}
