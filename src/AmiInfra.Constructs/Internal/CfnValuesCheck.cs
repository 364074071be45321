namespace AmiInfra.Constructs;

/// <summary>Checks on rendered property values that do not depend on a fragment.</summary>
internal static class CfnValuesCheck
{
    /// <summary>
    /// Rejects fragment references outside a fragment: a resource created on its own (<c>Cfn.Resource</c>)
    /// cannot refer to a resource of a fragment by logical id.
    /// </summary>
    public static void RejectFragmentReferences(object? value, Func<string> where)
    {
        switch (value)
        {
            case CfnFragmentReference reference:
                throw new ConstructValidationException(where(), $"a reference to the fragment resource \"{reference.LogicalId}\"", "references to fragment resources only inside the same CfnFragment; elsewhere use the resource's ARN or name");
            case string:
                return;
            case System.Collections.IDictionary map:
                foreach (var item in map.Values)
                {
                    RejectFragmentReferences(item, where);
                }

                return;
            case System.Collections.IEnumerable items:
                foreach (var item in items)
                {
                    RejectFragmentReferences(item, where);
                }

                return;
        }
    }
}
