using System.CommandLine;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Lifecycle;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Commands;

/// <summary>
/// <c>amiinfra lifecycle forecast</c>: what the declared retirement does to each image's AMIs over the coming
/// days, from the declaration alone (no AWS account, no credentials, no network).
/// </summary>
public static class LifecycleForecastCommand
{
    /// <summary>The longest simulation, in days (ten years).</summary>
    public const int MaxDays = 3650;

    /// <summary>Creates the <c>forecast</c> subcommand of <c>lifecycle</c>.</summary>
    public static Command Create(CommandRunner runner)
    {
        var days = new Option<int>("--days") { Description = $"Days to simulate (1 to {MaxDays}).", DefaultValueFactory = _ => 730, HelpName = "N" };
        var contentChange = new Option<int>("--content-change-days") { Description = "The image content (components, parent image) changes every N days: a new recipe version.", DefaultValueFactory = _ => 30, HelpName = "N" };
        var stallFrom = new Option<int?>("--stall-from") { Description = "Simulate a stalled pipeline: no build succeeds from this day on (day 0 is today). Needs --stall-days.", HelpName = "DAY" };
        var stallDays = new Option<int?>("--stall-days") { Description = "How many days the stall lasts. Needs --stall-from.", HelpName = "N" };
        var image = new Option<string[]>("--image") { Description = "Simulate only this image (repeat for several). Default: every image of the declaration.", HelpName = "NAME", AllowMultipleArgumentsPerToken = false };
        var command = new Command("forecast", $"Simulate, from the declaration alone (no AWS account, no credentials, no network), what the declared retirement does to each image's AMIs day by day: builds on the pipeline's cron schedule (in its time zone), a content change every N days, an optional stall, the retention marker, Image Builder's daily lifecycle policy (deprecate, disable, delete; one action per image per day; retention windows and exclusions), the Recycle Bin. Shows per image and region a chart of launchable and retired AMIs and of billed snapshots, the peaks in AMIs and GiB, the timeline of actions, and every day without a launchable AMI. Exit code {ExitCodes.Violations} when an invariant breaks: a day after the first build without a launchable AMI in a declared region, or an AMI the rules retire that outlives them by more than {LifecycleForecast.OverdueMarginDays} days.")
        {
            days, contentChange, stallFrom, stallDays, image,
        };
        return runner.Define(
            command,
            ["amiinfra lifecycle forecast", "amiinfra lifecycle forecast --stall-from 100 --stall-days 400", "amiinfra lifecycle forecast --image al2023 --days 365 --output json | jq '.images[0].regions[0].peak'"],
            (context, parseResult, _) =>
            {
                var factory = context.LoadFactory();
                var settings = Settings(factory, parseResult.GetValue(days), parseResult.GetValue(contentChange), parseResult.GetValue(stallFrom), parseResult.GetValue(stallDays), parseResult.GetValue(image) ?? []);
                var forecast = LifecycleForecast.Run(factory, settings, context.Now);
                return Task.FromResult(context.Write(new LifecycleForecastReport(forecast), forecast.Clean ? ExitCodes.Success : ExitCodes.Violations));
            });
    }

    private static ForecastSettings Settings(Declaration.Factory factory, int days, int contentChangeDays, int? stallFrom, int? stallDays, string[] images)
    {
        if (days is < 1 or > MaxDays)
        {
            throw Usage("--days", days.ToString(System.Globalization.CultureInfo.InvariantCulture), $"a number of days from 1 to {MaxDays}");
        }

        if (contentChangeDays < 1)
        {
            throw Usage("--content-change-days", contentChangeDays.ToString(System.Globalization.CultureInfo.InvariantCulture), "a number of days of at least 1");
        }

        if ((stallFrom is null) != (stallDays is null))
        {
            throw new OpsException(ExitCodes.Usage, stallFrom is null ? "option --stall-days needs --stall-from DAY" : "option --stall-from needs --stall-days N");
        }

        if (stallFrom is < 0 || stallFrom >= days)
        {
            throw Usage("--stall-from", stallFrom.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), $"a day from 0 to {days - 1} (--days {days})");
        }

        if (stallDays is < 1)
        {
            throw Usage("--stall-days", stallDays.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "a number of days of at least 1");
        }

        var names = factory.Images.Select(i => i.Name).ToList();
        foreach (var name in images.Where(n => !names.Contains(n, StringComparer.Ordinal)))
        {
            throw new OpsException(ExitCodes.Usage, $"option --image: got '{name}'; expected an image of the declaration: {string.Join(", ", names)}{ParseErrors.Suggest(name, names, maxDistance: 2)}");
        }

        foreach (var timeZone in factory.Images.Where(i => i.Schedule is not null).Select(i => i.Schedule!.Timezone).Distinct(StringComparer.Ordinal))
        {
            if (CronExpression.FindTimeZone(timeZone) is null)
            {
                throw new OpsException(ExitCodes.UnexpectedError, $"the time zone '{timeZone}' of a schedule is not known on this machine (no time zone data?)");
            }
        }

        return new ForecastSettings { Days = days, ContentChangeDays = contentChangeDays, StallFrom = stallFrom, StallDays = stallDays ?? 0, Images = images.Distinct(StringComparer.Ordinal).ToList() };
    }

    private static OpsException Usage(string option, string value, string accepted) =>
        new(ExitCodes.Usage, $"option {option}: got '{value}'; expected {accepted}");
}
