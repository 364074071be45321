using AmiInfra.Rules;

namespace AmiInfra.Rules.Tests;

/// <summary>Image Builder's cron dialect, field by field, at the edges the user guide gives.</summary>
public sealed class CronExpressionTests
{
    [Theory]
    [InlineData("cron(0 4 ? * sun *)")]
    [InlineData("cron(0/15 4 L * ? 2030)")]
    [InlineData("cron(59 23 31 12 ? 2199)")]
    [InlineData("cron(0 0 1 JAN ? 1970)")]
    [InlineData("cron(0 4 ? * 2#1 *)")]
    [InlineData("cron(0 4 ? * 6L *)")]
    [InlineData("cron(0 4 15W * ? *)")]
    [InlineData("cron(0 4 LW * ? *)")]
    [InlineData("cron(0,30 1-5 ? * MON-FRI *)")]
    [InlineData("cron(0 4 ? * 1#1 *)")]
    [InlineData("cron(0 4 ? * 7#5 *)")]
    [InlineData("cron(0 4 ? * SUN#5 *)")]
    [InlineData("cron(0 4 ? * sat#2,4 *)")]
    public void Accepts_an_expression_image_builder_takes(string expression) => Assert.Null(CronExpression.Check(expression));

    [Theory]
    [InlineData("0 4 ? * sun *", "it is not of the form cron(...)")]
    [InlineData("cron(0 4 ? * sun)", "it has 5 fields, not 6")]
    [InlineData("cron(0 4 * * sun *)", "exactly one of day-of-month and day-of-week must be '?'")]
    [InlineData("cron(60 4 ? * sun *)", "'60' is not a value or range from 0 to 59 in minutes")]
    [InlineData("cron(0 24 ? * sun *)", "'24' is not a value or range from 0 to 23 in hours")]
    [InlineData("cron(0 4 32 * ? *)", "'32' is not a value or range from 1 to 31 in day-of-month")]
    [InlineData("cron(0 4 ? 13 sun *)", "'13' is not a value or range from 1 to 12 in month")]
    [InlineData("cron(0 4 ? * 8 *)", "'8' is not a value or range from 1 to 7 in day-of-week")]
    [InlineData("cron(0 4 ? * 1/2 *)", "'1/2' has a step, which day-of-week does not take")]
    [InlineData("cron(0 4 ? * sun 1969)", "'1969' is not a value or range from 1970 to 2199 in year")]
    [InlineData("cron(0 4 ? * sun 2200)", "'2200' is not a value or range from 1970 to 2199 in year")]
    [InlineData("cron(0 4 ? * 2#6 *)", "'2#6' asks for occurrence 6 of a day in the month; '#' takes 1 to 5 (a month has at most five of any day)")]
    [InlineData("cron(0 4 ? * MON#0 *)", "'MON#0' asks for occurrence 0 of a day in the month; '#' takes 1 to 5 (a month has at most five of any day)")]
    [InlineData("cron(0 4 ? * 2#05 *)", "'2#05' asks for occurrence 05 of a day in the month; '#' takes 1 to 5 (a month has at most five of any day)")]
    [InlineData("cron(0 4 ? * 8#1 *)", "'8#1' is not a day of the week (1 to 7 or SUN to SAT) followed by # and 1 to 5")]
    [InlineData("cron(0 4 ? * 2#1#2 *)", "'2#1#2' is not a day of the week (1 to 7 or SUN to SAT) followed by # and 1 to 5")]
    [InlineData("cron(0 4 1#2 * ? *)", "'1#2' has a '#', which only day-of-week takes")]
    public void Rejects_an_expression_image_builder_refuses(string expression, string reason)
    {
        var problem = CronExpression.Check(expression);

        Assert.NotNull(problem);
        Assert.Equal($"\"{expression}\" ({reason})", problem.Value);
        Assert.Equal(CronExpression.Accepted, problem.Accepted);
    }
}
