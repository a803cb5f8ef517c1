using BandwidthOperator.Lab.Netns;
using Xunit;

namespace BandwidthOperator.Testing;

/// <summary>A fact that needs root (network namespaces, tc); skipped, with the reason, otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!NetworkNamespace.IsRoot)
        {
            Skip = "needs root: creates network namespaces";
        }
    }
}
