using System.CommandLine;
using Amazon.EC2.Model;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Finding;

namespace AmiInfra.Ops.Commands;

/// <summary><c>amiinfra find</c>: AMIs by owner, name, architecture, virtualization, root device, platform, or SSM parameter.</summary>
public static class FindCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var owner = new Option<string[]>("--owner") { Description = "Owner: self, amazon, aws-marketplace or an account id (repeatable).", AllowMultipleArgumentsPerToken = false };
        var name = new Option<string?>("--name") { Description = "Name pattern; * and ? are wildcards (e.g. 'al2023-ami-2023.*-x86_64')." };
        var architecture = new Option<string?>("--architecture") { Description = "i386, x86_64, arm64, x86_64_mac or arm64_mac." };
        ParseErrors.OneOf(architecture, "i386", "x86_64", "arm64", "x86_64_mac", "arm64_mac");
        var virtualization = new Option<string?>("--virtualization-type") { Description = "hvm or paravirtual." };
        ParseErrors.OneOf(virtualization, "hvm", "paravirtual");
        var rootDevice = new Option<string?>("--root-device-type") { Description = "ebs or instance-store." };
        ParseErrors.OneOf(rootDevice, "ebs", "instance-store");
        var platform = new Option<string?>("--platform") { Description = "linux or windows." };
        ParseErrors.OneOf(platform, "linux", "windows");
        var ssm = new Option<string?>("--ssm-parameter") { Description = "A (public) SSM parameter holding an AMI id, e.g. /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64." };
        var includeDeprecated = new Option<bool>("--include-deprecated") { Description = "Include deprecated and disabled AMIs." };
        var limit = new Option<int>("--limit") { Description = "Show at most this many AMIs, newest first.", DefaultValueFactory = _ => 20 };
        var command = new Command("find", "Find AMIs in one region by owner, name pattern, architecture, virtualization type, root device type or platform, or through an SSM parameter (as \"Finding a Linux AMI\" describes). Newest first.")
        {
            owner, name, architecture, virtualization, rootDevice, platform, ssm, includeDeprecated, limit,
        };
        return runner.Define(
            command,
            [
                "amiinfra find --owner amazon --name 'al2023-ami-2023.*' --architecture x86_64 --region us-east-1",
                "amiinfra find --ssm-parameter /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
                "amiinfra find --owner self --platform windows --root-device-type ebs --limit 5 --output json",
            ],
            async (context, parseResult, cancellationToken) =>
            {
                var region = context.SingleRegion();
                await context.AccountAsync(region, null, cancellationToken).ConfigureAwait(false);
                var gateway = new RegionGateway(context.Aws, region);
                var parameter = parseResult.GetValue(ssm);
                if (parameter is not null)
                {
                    var imageId = await ParameterGateway.ValueAsync(context.Aws, region, parameter, cancellationToken).ConfigureAwait(false);
                    var image = await gateway.ImageAsync(imageId, cancellationToken).ConfigureAwait(false)
                        ?? throw new OpsException(ExitCodes.AwsError, $"{parameter} holds {imageId}, which DescribeImages does not return in {region}");
                    return context.Write(new FoundImagesReport(region, [image], 1, parameter));
                }

                var query = new ImageQuery
                {
                    Owners = parseResult.GetValue(owner) ?? [],
                    Name = parseResult.GetValue(name),
                    Architecture = parseResult.GetValue(architecture),
                    VirtualizationType = parseResult.GetValue(virtualization),
                    RootDeviceType = parseResult.GetValue(rootDevice),
                    Platform = parseResult.GetValue(platform),
                    IncludeDeprecated = parseResult.GetValue(includeDeprecated),
                };
                if (query.Owners.Count == 0 && query.Name is null)
                {
                    throw new OpsException(ExitCodes.Usage, "give --owner, --name or --ssm-parameter (listing every AMI you may launch is too broad)");
                }

                var max = parseResult.GetValue(limit);
                if (max < 1)
                {
                    throw new OpsException(ExitCodes.Usage, "--limit must be at least 1");
                }

                context.Progress.Report($"searching AMIs in {region}");
                var found = (await gateway.ImagesAsync(query.Owners, query.Filters(), query.IncludeDeprecated, cancellationToken).ConfigureAwait(false))
                    .Where(i => query.Matches(i, context.Now))
                    .OrderByDescending(i => i.CreationDate, StringComparer.Ordinal)
                    .ThenBy(i => i.ImageId, StringComparer.Ordinal)
                    .ToList();
                return context.Write(new FoundImagesReport(region, found.Take(max).ToList(), found.Count, null));
            });
    }
}
