using System.Text;

namespace Cosmos.TestRunner.Bench;

/// <summary>Writes an initramfs in the "newc" cpio format the Linux kernel unpacks (Documentation/driver-api/early-userspace/buffer-format.rst).</summary>
public sealed class CpioWriter(Stream output)
{
    private int _inode = 1;

    public void Directory(string name) => Entry(name, 0x41ED /* dir 0755 */, []);
    public void File(string name, byte[] data, bool executable = false) => Entry(name, executable ? 0x81ED : 0x81A4, data);

    private void Entry(string name, int mode, byte[] data)
    {
        byte[] nameBytes = Encoding.ASCII.GetBytes(name + "\0");
        string header = "070701" + string.Concat(new[]
        {
            _inode++, mode, 0, 0, 1, 0, data.Length, 0, 0, 0, 0, nameBytes.Length, 0,
        }.Select(v => v.ToString("X8")));
        Write(Encoding.ASCII.GetBytes(header));
        Write(nameBytes);
        Pad();
        Write(data);
        Pad();
    }

    public void Finish()
    {
        Entry("TRAILER!!!", 0, []);
        while (output.Position % 512 != 0) output.WriteByte(0);
    }

    private void Write(byte[] bytes) => output.Write(bytes);
    private void Pad() { while (output.Position % 4 != 0) output.WriteByte(0); }
}
