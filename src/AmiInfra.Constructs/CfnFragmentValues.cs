using System.Collections;
using Amazon.CDK;
using Amazon.JSII.Runtime.Deputy;

namespace AmiInfra.Constructs;

/// <summary>
/// The values a fragment's template may hold, turned into plain JSON: strings (CDK token strings included), numbers,
/// booleans, maps with string keys, lists, <see cref="CfnFragmentReference"/>s (as the intrinsic functions they stand
/// for) and CDK tokens given as objects (<see cref="IResolvable"/>, e.g. from <c>Lazy.Any</c>: as their token string,
/// which the CDK resolves at synth). Anything else is rejected with the path of the value and what is accepted.
/// </summary>
internal static class CfnFragmentValues
{
    private const string Accepted = "a string, number, boolean, map with string keys, list, CfnFragment.Ref or GetAtt reference, or a CDK token (an IResolvable such as Lazy.Any, or a token string)";

    /// <summary>The JSON form of <paramref name="value"/>; references must name a resource of <paramref name="ids"/>.</summary>
    /// <param name="value">The value.</param>
    /// <param name="ids">The logical ids of the fragment.</param>
    /// <param name="where">Where the value is, e.g. "Stack/Images.Resources[Recipe].Properties.Components[0]".</param>
    public static object ToJson(object value, IReadOnlySet<string> ids, string where) => value switch
    {
        string or bool => value,
        int or long or short or byte or sbyte or uint or ulong or ushort or float or decimal => value,
        double d => double.IsFinite(d) ? d : throw Rejected(where, $"the number {d}", "a finite number"),
        CfnFragmentReference reference => ids.Contains(reference.LogicalId)
            ? reference.Render()
            : throw Rejected(where, $"a reference to \"{reference.LogicalId}\"", "a reference to a resource of the same fragment"),
        IResolvable resolvable => TokenOf(resolvable, where),
        DeputyBase jsii => throw Rejected(where, $"a CDK object ({jsii.GetType().FullName})", $"{Accepted}; pass one of its attributes (an ARN, a name, a Ref)"),
        IDictionary map => Map(map, ids, where),
        IEnumerable items => List(items, ids, where),
        _ => throw Rejected(where, $"a {value.GetType().FullName}", Accepted),
    };

    private static Dictionary<string, object> Map(IDictionary map, IReadOnlySet<string> ids, string where)
    {
        var result = new Dictionary<string, object>(map.Count, StringComparer.Ordinal);
        foreach (DictionaryEntry entry in map)
        {
            if (entry.Key is not string key)
            {
                throw Rejected(where, $"a map key of type {entry.Key.GetType().FullName}", "string keys");
            }

            // Null values are left out, as in a rendered definition (CloudFormation takes no nulls).
            if (entry.Value is not null)
            {
                result[key] = ToJson(entry.Value, ids, $"{where}.{key}");
            }
        }

        return result;
    }

    private static object[] List(IEnumerable items, IReadOnlySet<string> ids, string where)
    {
        var result = new List<object>();
        var i = 0;
        foreach (var item in items)
        {
            result.Add(item is null ? throw Rejected($"{where}[{i}]", "null", "a value: CloudFormation takes no null list items") : ToJson(item, ids, $"{where}[{i}]"));
            i++;
        }

        return result.ToArray();
    }

    private static string TokenOf(IResolvable resolvable, string where)
    {
        try
        {
            return Token.AsString(resolvable);
        }
        catch (Exception e) when (e is not ConstructValidationException)
        {
            throw Rejected(where, $"an IResolvable the CDK cannot take ({resolvable.GetType().FullName}: {e.Message})", "an IResolvable made by the CDK (Lazy.Any, Token.AsAny, Fn.*) or a class deriving from DeputyBase");
        }
    }

    private static ConstructValidationException Rejected(string where, string value, string accepted) => new(where, value, accepted);
}
