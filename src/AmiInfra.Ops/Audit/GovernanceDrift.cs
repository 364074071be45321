using AmiInfra.Ops.Governance;

namespace AmiInfra.Ops.Audit;

/// <summary>The account controls the governance declares and the account has set otherwise, as audit violations.</summary>
public static class GovernanceDrift
{
    /// <summary>
    /// A violation per control in drift, except block public access that is off altogether, which
    /// <c>image-block-public-access-off</c> and <c>snapshot-block-public-access-off</c> already report.
    /// </summary>
    public static IEnumerable<Violation> Violations(IReadOnlyList<GuardRow> rows, IReadOnlyList<Violation> already)
    {
        foreach (var row in rows.Where(r => r.Status == GuardRow.Drift))
        {
            var reported = row.Control switch
            {
                GuardControls.ImageBlockPublicAccess => already.Any(v => v.Kind == ViolationKind.ImageBlockPublicAccessOff && v.Region == row.Region),
                GuardControls.SnapshotBlockPublicAccess => already.Any(v => v.Kind == ViolationKind.SnapshotBlockPublicAccessOff && v.Region == row.Region),
                _ => false,
            };
            if (!reported)
            {
                yield return new Violation(ViolationKind.GovernanceDrift, row.Region, null, null, $"{row.Control} is {row.Set}, the governance declares {row.Declared}: {row.Detail}");
            }
        }
    }
}
