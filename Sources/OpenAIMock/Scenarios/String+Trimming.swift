extension StringProtocol {
    /// `trimmingCharacters(in: .whitespaces)` without Foundation: tabs and Unicode space
    /// separators (category Zs) go from both ends; newlines stay.
    func trimmingWhitespace() -> String {
        trimmingScalars { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }

    /// Drops the leading and trailing scalars for which `isTrimmed` holds.
    func trimmingScalars(_ isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let whole = String(self)
        var scalars = whole.unicodeScalars[...]
        while let first = scalars.first, isTrimmed(first) { scalars.removeFirst() }
        while let last = scalars.last, isTrimmed(last) { scalars.removeLast() }
        return String(scalars)
    }
}
