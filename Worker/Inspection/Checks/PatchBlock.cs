namespace CollectionWorker.Inspection.Checks;

/// <summary>
/// The patches covering a rectangle (every patch it touches, clipped to the grid), row by row and left to right,
/// walked in place: the checks that visit them once need no list of them per photo.
/// </summary>
internal readonly struct PatchBlock
{
    private readonly int _cols;
    private readonly int _firstRow;
    private readonly int _endRow;
    private readonly int _firstCol;
    private readonly int _endCol;

    public PatchBlock(PatchGrid grid, PixelRect rect)
    {
        // From the patch holding the rectangle's first pixel to the one holding its last.
        _cols = grid.Cols;
        _firstRow = rect.Y / grid.Size;
        _endRow = Math.Min(grid.Rows, (rect.Bottom + grid.Size - 1) / grid.Size);
        _firstCol = rect.X / grid.Size;
        _endCol = Math.Min(grid.Cols, (rect.Right + grid.Size - 1) / grid.Size);
    }

    public int Count => Math.Max(0, _endRow - _firstRow) * Math.Max(0, _endCol - _firstCol);

    public Enumerator GetEnumerator() => new(this);

    public struct Enumerator
    {
        private readonly PatchBlock _block;
        private int _row;
        private int _patch;
        private int _rowEnd;

        internal Enumerator(PatchBlock block)
        {
            _block = block;
            _row = block._firstRow;
            // Positioned one before the first patch of the first row; an empty row range or column range yields nothing.
            _patch = _row * block._cols + block._firstCol - 1;
            _rowEnd = block._endCol > block._firstCol ? _row * block._cols + block._endCol : _patch + 1;
        }

        public readonly int Current => _patch;

        public bool MoveNext()
        {
            if (++_patch < _rowEnd && _row < _block._endRow) return true;
            if (_block._endCol <= _block._firstCol || ++_row >= _block._endRow) return false;
            _patch = _row * _block._cols + _block._firstCol;
            _rowEnd = _row * _block._cols + _block._endCol;
            return true;
        }
    }
}
