using BandwidthOperator.Lab.Netns;
using Xunit;

namespace BandwidthOperator.Testing;

/// <summary>A theory that needs root (network namespaces, tc); skipped, with the reason, otherwise.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!NetworkNamespace.IsRoot)
        {
            Skip = "needs root: creates network namespaces";
        }
    }
}
