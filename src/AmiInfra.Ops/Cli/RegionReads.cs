using Amazon.Runtime;
using AmiInfra.Ops.Aws;

namespace AmiInfra.Ops.Cli;

/// <summary>
/// Reads several regions concurrently so that one region that cannot be read (not enabled for the account, denied,
/// throttled beyond the retries) does not fail the others: it is named, with the reason, as not read
/// (<see cref="CommandContext.NotRead"/>), and the run exits <see cref="ExitCodes.Incomplete"/>. When no region at
/// all could be read for the same reason, that is the run's error (a missing permission everywhere is exit code 5,
/// not a partial report).
/// </summary>
public static class RegionReads
{
    /// <summary>Reads each region; returns the regions read, in the order given, with what was read.</summary>
    public static async Task<IReadOnlyList<(string Region, T Value)>> EachAsync<T>(
        CommandContext context, IReadOnlyList<string> regions, Func<string, Task<T>> read, CancellationToken cancellationToken)
    {
        var outcomes = await Task.WhenAll(regions.Select(async region =>
        {
            try
            {
                return (Region: region, Value: await read(region).ConfigureAwait(false), Error: (Exception?)null);
            }
            catch (AmazonServiceException e)
            {
                return (Region: region, Value: default(T)!, Error: (Exception?)e);
            }
            catch (TimeoutException e)
            {
                return (Region: region, Value: default(T)!, Error: (Exception?)e);
            }
        })).ConfigureAwait(false);

        var read_ = outcomes.Where(o => o.Error is null).Select(o => (o.Region, o.Value)).ToList();
        var failed = outcomes.Where(o => o.Error is not null).ToList();
        if (failed.Count == 0)
        {
            return read_;
        }

        var explained = await Task.WhenAll(failed.Select(async f => (f.Region, f.Error, Why: await ExplainAsync(context, read_.Select(r => r.Region).FirstOrDefault(), f.Region, f.Error!, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
        if (read_.Count == 0 && explained.All(e => !e.Why.RegionSpecific))
        {
            throw explained[0].Error!;
        }

        foreach (var (region, _, why) in explained)
        {
            context.NotRead($"region {region}", why.Text);
        }

        return read_;
    }

    /// <summary>Why a region could not be read, in words; region-specific when the region itself is the cause (not enabled, refused there only).</summary>
    private static async Task<(string Text, bool RegionSpecific)> ExplainAsync(CommandContext context, string? readable, string region, Exception error, CancellationToken cancellationToken)
    {
        if (error is TimeoutException)
        {
            return ($"no answer within --call-timeout {Durations.Format(context.Aws.CallTimeout)}, twice", false);
        }

        var e = (AmazonServiceException)error;
        var kind = AwsErrors.Classify(e);
        if (kind is not (AwsFailure.RegionNotEnabled or AwsFailure.Credentials))
        {
            return (AwsErrors.Why(e), readable is not null);
        }

        // STS accepted the credentials (every command asks it first), so EC2 refusing them in one region means the
        // region: EC2 answers AuthFailure in a region the account has not opted in to
        // (https://repost.aws/knowledge-center/iam-validate-access-credentials; DescribeRegions with AllRegions tells
        // the opt-in status, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html).
        var home = readable ?? context.FactoryIfPresent()?.Region;
        string? status = null;
        if (home is not null && home != region)
        {
            try
            {
                status = await new RegionGateway(context.Aws, home).OptInStatusAsync(region, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException)
            {
                status = null;
            }
        }

        return status switch
        {
            "not-opted-in" => ($"the region is not enabled for account {context.Account} (opt-in status not-opted-in): enable it in the account's settings, or leave it out with --regions ({e.ErrorCode})", true),
            _ when kind == AwsFailure.RegionNotEnabled => ($"the region is not enabled for the account ({e.ErrorCode}): enable it, or leave it out with --regions", true),
            _ => ($"EC2 in {region} refused credentials that STS accepted ({e.ErrorCode}): the region may not be enabled for the account, or the credentials are not valid there", true),
        };
    }
}
