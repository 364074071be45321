using System.Collections;
using Amazon.CDK;
using Amazon.JSII.Runtime.Deputy;

namespace AmiInfra.Constructs;

/// <summary>
/// The values a fragment's template may hold, turned into plain JSON: strings (CDK token strings included), numbers,
/// booleans, maps with string keys, lists, <see cref="CfnFragmentReference"/>s (as the intrinsic functions they stand
/// for) and CDK tokens given as objects (an <see cref="IResolvable"/> the CDK made, e.g. by <c>Lazy.UncachedAny</c>,
/// <c>Token.AsAny</c> or <c>Fn.ConditionIf</c>: as their token string, which the CDK resolves at synth). Anything else
/// is rejected with the path of the value and what is accepted.
/// </summary>
internal static class CfnFragmentValues
{
    private const string Accepted = "a string, number, boolean, map with string keys, list, CfnFragment.Ref or GetAtt reference, or a CDK token (an IResolvable the CDK made, such as Lazy.UncachedAny or Token.AsAny, or a token string)";

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

    /// <summary>
    /// A CDK token made by the CDK (<c>Token.AsAny</c>, <c>Fn.*</c>, <c>Lazy.UncachedAny</c>) as a token string, which the
    /// CDK resolves at synth wherever the string is. Token.AsString takes any value, and jsii cannot tell the type of an
    /// interface proxy (the IResolvable a Lazy or an Fn function returns): the proxy's JavaScript object is then passed
    /// by its reference, under the class every CDK token derives from. An IResolvable implemented in .NET is refused.
    /// </summary>
    private static string TokenOf(IResolvable resolvable, string where)
    {
        if (resolvable.GetType().Assembly != typeof(IResolvable).Assembly)
        {
            throw Rejected(where, $"an IResolvable implemented in .NET ({resolvable.GetType().FullName})", "a CDK token made by the CDK: Lazy.UncachedAny, UncachedString or UncachedNumber with a producer of yours, Token.AsAny, Fn functions, or a plain value");
        }

        if (Tokens.TryGetValue(resolvable, out var known))
        {
            return known;
        }

        string token;
        try
        {
            token = resolvable.GetType().IsNested ? Token.AsString(new ByReference(ReferenceOf(resolvable))) : Token.AsString(resolvable);
        }
        catch (Exception e) when (e is not ConstructValidationException)
        {
            throw Rejected(where, $"a CDK token the CDK could not turn into a string ({resolvable.GetType().FullName}: {e.Message})", "a CDK token made by the CDK, or a plain value");
        }

        Tokens.AddOrUpdate(resolvable, token);
        return token;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IResolvable, string> Tokens = [];

    private static readonly System.Reflection.PropertyInfo? JsiiReference =
        typeof(DeputyBase).GetProperty("Reference", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);

    private static ByRefValue ReferenceOf(IResolvable resolvable) =>
        JsiiReference?.GetValue(resolvable) as ByRefValue
        ?? throw new InvalidOperationException("this version of the jsii runtime keeps no reference on its objects; give the value as a token string");

    /// <summary>A JavaScript object of the CDK held by reference, passed where the CDK takes any value.</summary>
    private sealed class ByReference(ByRefValue reference) : Intrinsic(reference);

    private static ConstructValidationException Rejected(string where, string value, string accepted) => new(where, value, accepted);
}
