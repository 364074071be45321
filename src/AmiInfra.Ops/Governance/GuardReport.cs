using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Governance;

/// <summary>The report of <c>amiinfra guard</c>: each declared control in each account and region.</summary>
/// <param name="Rows">The controls, account by account, region by region.</param>
/// <param name="NotGoverned">Accounts read that the declaration does not govern, with the reason.</param>
public sealed class GuardReport(IReadOnlyList<GuardRow> Rows, IReadOnlyList<string> NotGoverned) : IReport
{
    /// <summary>How many controls are not set as declared.</summary>
    public int Drift => Rows.Count(r => r.Status == GuardRow.Drift);

    /// <inheritdoc />
    public object JsonDocument => new
    {
        drift = Drift,
        notChecked = Rows.Count(r => r.Status == GuardRow.NotChecked),
        accounts = Rows.Select(r => r.Account).Distinct(StringComparer.Ordinal).ToList(),
        regions = Rows.Select(r => r.Region).Distinct(StringComparer.Ordinal).ToList(),
        notGoverned = NotGoverned,
        controls = Rows.Select(r => new { account = r.Account, region = r.Region, control = r.Control, declared = r.Declared, set = r.Set, status = r.Status, detail = r.Detail }),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        var table = new Table("ACCOUNT", "REGION", "CONTROL", "DECLARED", "SET", "STATUS", "DETAIL");
        foreach (var r in Rows)
        {
            table.Add(r.Account, r.Region, r.Control, r.Declared, r.Set, r.Status, r.Detail);
        }

        table.Write(output, "The governance declares no control.");
        foreach (var line in NotGoverned)
        {
            output.Note(line);
        }

        if (table.Count == 0)
        {
            return;
        }

        var notChecked = Rows.Count(r => r.Status == GuardRow.NotChecked);
        var accounts = Rows.Select(r => r.Account).Distinct(StringComparer.Ordinal).Count();
        var regions = Rows.Select(r => r.Region).Distinct(StringComparer.Ordinal).Count();
        output.Note(Drift == 0 && notChecked == 0
            ? $"As declared: {Formats.Number(Rows.Count - notChecked)} control(s) in {Formats.Number(accounts)} account(s) and {Formats.Number(regions)} region(s)."
            : Drift == 0
            ? $"As declared where read: {Formats.Number(Rows.Count - notChecked)} control(s); {Formats.Number(notChecked)} could not be read, in {Formats.Number(accounts)} account(s) and {Formats.Number(regions)} region(s)."
            : $"{Formats.Number(Drift)} control(s) not set as declared, in {Formats.Number(accounts)} account(s) and {Formats.Number(regions)} region(s){(notChecked > 0 ? $"; {Formats.Number(notChecked)} not checked" : "")}.");
    }
}
