"""The backup key and the encrypted stream a backup file is made of.

The key is separate from SECRET_KEY and the field keys: a backup copied off
the server must be useless to whoever finds it, and the key must be kept
somewhere the backups are not (docs/deployment.md, "Backup and restore").
It comes from GONGHUI_BACKUP_KEY (comma-separated: the first key encrypts,
every key is tried for reading, so keys rotate) or, outside production, from
`<GONGHUI_VAR_DIR>/backup_key`, created on first use.

File layout (all integers big-endian):

    MAGIC (15 bytes) | version (1) | key id (8) | salt (32) | chunk size (4)
    then chunks: length (4) | AES-256-GCM ciphertext with its 16-byte tag

The file key is HKDF-SHA256(backup key, salt). Chunk n is sealed with nonce
n (11 bytes) + a final flag (1 byte) and the header as associated data (the
STREAM construction): a changed, reordered, dropped or appended chunk, a
truncated file and an edited header all fail authentication.
"""

import base64
import binascii
import hashlib
import os
import secrets
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from gonghui.ops.errors import BackupError

ENV_VAR = "GONGHUI_BACKUP_KEY"
MAGIC = b"GONGHUI-BACKUP\n"
VERSION = 1
CHUNK = 1 << 20
_HEADER = struct.Struct(">15sB8s32sI")
_LENGTH = struct.Struct(">I")
_TAG = 16


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"gonghui backup key id\0" + key).digest()[:8]


def _decode(text: str, where: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise BackupError(
            f"{where}中的备份密钥格式不对：应为 32 字节的 urlsafe base64 文本"
            "（用 `gonghui backup-key --new` 生成）"
        )
    return key


def keys() -> list[bytes]:
    """The backup keys; the first one encrypts."""
    from_env = os.environ.get(ENV_VAR, "")
    if from_env.strip():
        return [
            _decode(k.strip(), f"环境变量 {ENV_VAR} ") for k in from_env.split(",") if k.strip()
        ]
    path = Path(settings.VAR_DIR) / "backup_key"
    if not path.exists():
        if getattr(settings, "PRODUCTION", False):
            raise BackupError(
                f"生产环境必须在环境变量 {ENV_VAR} 中设置备份密钥"
                "（用 `gonghui backup-key --new` 生成，并另行妥善保管一份）"
            )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(new_key())
        except FileExistsError:
            pass  # another process created it first
    return [_decode(k.strip(), f"文件 {path} ") for k in path.read_text().split(",") if k.strip()]


def _file_key(key: bytes, salt: bytes) -> AESGCM:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"gonghui backup v1"
    ).derive(key)
    return AESGCM(derived)


def _nonce(counter: int, final: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


class EncryptingWriter:
    """A write-only file object: what is written goes out sealed, chunk by chunk."""

    def __init__(self, out, key: bytes):
        self._out = out
        salt = secrets.token_bytes(32)
        self._header = _HEADER.pack(MAGIC, VERSION, key_id(key), salt, CHUNK)
        self._aead = _file_key(key, salt)
        self._buffer = bytearray()
        self._counter = 0
        out.write(self._header)

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:  # keep at least one byte back for the final chunk
            self._seal(bytes(self._buffer[:CHUNK]), final=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, final: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._counter, final), plain, self._header)
        self._out.write(_LENGTH.pack(len(sealed)) + sealed)
        self._counter += 1

    def close(self) -> None:
        """Seal what is left as the final chunk (possibly empty)."""
        self._seal(bytes(self._buffer), final=True)
        self._buffer.clear()

    def flush(self) -> None:
        pass


def _read_exactly(f, size: int) -> bytes:
    data = f.read(size)
    while len(data) < size:
        more = f.read(size - len(data))
        if not more:
            break
        data += more
    return data


class DecryptingReader:
    """A read-only file object over an encrypted backup; raises BackupError on any
    change to the file, a wrong key or a truncated file."""

    def __init__(self, f, name: str = "备份文件"):
        self._in = f
        header = _read_exactly(f, _HEADER.size)
        if len(header) < _HEADER.size or not header.startswith(MAGIC):
            raise BackupError(f"{name}不是工会系统的备份文件（文件头不符），拒绝恢复")
        _magic, version, kid, salt, chunk = _HEADER.unpack(header)
        if version != VERSION:
            raise BackupError(f"{name}的格式版本为 {version}，本系统只能读取版本 {VERSION}")
        if not 0 < chunk <= 64 * CHUNK:
            raise BackupError(f"{name}的文件头已损坏或被篡改，拒绝恢复")
        ours = keys()
        key = next((k for k in ours if key_id(k) == kid), None)
        if key is None:
            have = "、".join(key_id(k).hex() for k in ours)
            raise BackupError(
                f"{name}是用另一把备份密钥加密的（密钥编号 {kid.hex()}），"
                f"当前可用的密钥编号为 {have}；请在环境变量 {ENV_VAR} 中设置加密它的那把密钥后再恢复"
            )
        self._header = header
        self._chunk = chunk
        self._aead = _file_key(key, salt)
        self._counter = 0
        self._buffer = bytearray()
        self._done = False
        self.key_id = kid.hex()

    def _next_chunk(self) -> None:
        raw = _read_exactly(self._in, _LENGTH.size)
        if len(raw) < _LENGTH.size:
            raise BackupError("备份文件不完整（缺少结尾部分，可能在复制时被截断），拒绝恢复")
        (length,) = _LENGTH.unpack(raw)
        if not _TAG <= length <= self._chunk + _TAG:
            raise BackupError(f"备份文件第 {self._counter + 1} 块已损坏或被篡改，拒绝恢复")
        sealed = _read_exactly(self._in, length)
        if len(sealed) < length:
            raise BackupError("备份文件不完整（缺少结尾部分，可能在复制时被截断），拒绝恢复")
        for final in (False, True):
            try:
                plain = self._aead.decrypt(_nonce(self._counter, final), sealed, self._header)
            except InvalidTag:
                continue
            self._counter += 1
            self._buffer += plain
            if final:
                if self._in.read(1):
                    raise BackupError("备份文件结尾之后还有多余的数据，可能被篡改，拒绝恢复")
                self._done = True
            return
        raise BackupError(
            f"备份文件第 {self._counter + 1} 块校验失败：文件已损坏或被篡改，拒绝恢复"
        )

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._next_chunk()
        if size < 0 or size > len(self._buffer):
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]  # CPython drops a bytearray's head without copying the rest
        return data
