namespace BandwidthOperator.ApiServerDouble.Http;

/// <summary>What a request path names.</summary>
internal enum TargetKind
{
    /// <summary>A served resource (collection or object).</summary>
    Resource,

    /// <summary>/api, /api/v1, /apis, /apis/g, /apis/g/v, /version.</summary>
    Discovery,

    /// <summary>Unknown path under a CRD-style group: plain-text "404 page not found".</summary>
    PlainNotFound,

    /// <summary>Unknown resource under /api/v1: JSON Status NotFound with empty details.</summary>
    CoreNotFound,
}
