namespace IndraSmartPro.Json
{
    /// <summary>The kind of a parsed JSON value.</summary>
    public enum JsonKind
    {
        /// <summary>An object.</summary>
        Object = 0,
        /// <summary>An array.</summary>
        Array = 1,
        /// <summary>A string.</summary>
        String = 2,
        /// <summary>A number.</summary>
        Number = 3,
        /// <summary>true or false.</summary>
        Bool = 4,
        /// <summary>null.</summary>
        Null = 5,
    }
}
