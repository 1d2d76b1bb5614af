namespace Mimi.Discovery.Protocol;

/// <summary>
/// A resizable array stored in fixed-size chunks that copies share until one of them writes to a chunk. A hub clones
/// a room's tree for every commit and changes one path of it; sharing the chunks makes the clone cost a few pointer
/// copies and keeps large trees' arrays off the large object heap. A chunk shared with another copy is never written
/// in place, so spans read from it stay valid.
/// </summary>
internal sealed class CopyOnWriteChunks<T>
{
    private readonly int _chunkLength;
    private T[][] _chunks;
    private bool[] _owned;
    private int _count;

    public CopyOnWriteChunks(int chunkLength, int count)
    {
        _chunkLength = chunkLength;
        _chunks = [];
        _owned = [];
        Resize(count);
    }

    private CopyOnWriteChunks(CopyOnWriteChunks<T> other)
    {
        _chunkLength = other._chunkLength;
        _chunks = (T[][])other._chunks.Clone();
        _owned = new bool[_chunks.Length];
        _count = other._count;
    }

    public int Count => _count;

    public T this[int index] => _chunks[index / _chunkLength][index % _chunkLength];

    /// <summary>A copy that shares every chunk; from now on neither writes a shared chunk in place.</summary>
    public CopyOnWriteChunks<T> Share()
    {
        Array.Clear(_owned);
        return new CopyOnWriteChunks<T>(this);
    }

    public void Set(int index, T value) => Writable(index / _chunkLength)[index % _chunkLength] = value;

    /// <summary>Elements that lie in one chunk (the chunk length is a multiple of <paramref name="length"/>).</summary>
    public ReadOnlySpan<T> Slice(int start, int length) => _chunks[start / _chunkLength].AsSpan(start % _chunkLength, length);

    /// <summary>Elements that lie in one chunk, to write; the chunk is copied first if it is shared.</summary>
    public Span<T> WritableSlice(int start, int length) => Writable(start / _chunkLength).AsSpan(start % _chunkLength, length);

    /// <summary>Grows with default elements or drops the elements past <paramref name="count"/>.</summary>
    public void Resize(int count)
    {
        var chunks = (count + _chunkLength - 1) / _chunkLength;
        var old = _chunks.Length;
        if (chunks != old)
        {
            Array.Resize(ref _chunks, chunks);
            Array.Resize(ref _owned, chunks);
            for (var i = old; i < chunks; i++)
            {
                _chunks[i] = new T[_chunkLength];
                _owned[i] = true;
            }
        }

        // Elements dropped from the last chunk kept are cleared, so growing again starts from defaults.
        if (count < _count && count % _chunkLength != 0)
        {
            var last = count / _chunkLength;
            Writable(last).AsSpan(count % _chunkLength, Math.Min(_count - count, _chunkLength - (count % _chunkLength))).Clear();
        }

        _count = count;
    }

    private T[] Writable(int chunk)
    {
        if (!_owned[chunk])
        {
            _chunks[chunk] = (T[])_chunks[chunk].Clone();
            _owned[chunk] = true;
        }

        return _chunks[chunk];
    }
}
