"""Snapshots of the emulator's whole state, so a warm `npm start` restores an applied environment in a second
instead of applying it again (scripts/src/local/snapshots.ts decides when that is right).

  POST /moto-api/snapshots/save?name=NAME      writes every service's state to DIR/NAME.pickle
  POST /moto-api/snapshots/restore?name=NAME   replaces every service's state with DIR/NAME.pickle

DIR is FAS_EMULATOR_SNAPSHOTS, set by scripts/moto.sh; without it both answer 404. Files are read only from that
directory and named by a plain word, never a path from the request: a pickle runs code when it is loaded, so only
what this user's own emulator wrote may be loaded.

moto keeps each service's state in a BackendDict (account -> region -> backend object), found by the module and
attribute that hold it. The backends are pickled together, so references between them survive. Two kinds of
objects need help: the private keys KMS makes for every key (kept as DER), and state this launcher keeps itself
(passed in as `extra`).
"""

import copyreg
import json
import os
import pickle
import re
import sys
import threading
from typing import Any, Callable
from urllib.parse import parse_qs, urlparse

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from moto.core.base_backend import BackendDict, backend_lock

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


def _private_key_from_der(der: bytes) -> Any:
    return serialization.load_der_private_key(der, password=None)


def _reduce_private_key(key: Any) -> tuple[Callable[[bytes], Any], tuple[bytes]]:
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return _private_key_from_der, (der,)


def _register_reducers() -> None:
    # cryptography's key objects are Rust types without pickle support; their concrete classes are what
    # generate_private_key returns.
    samples = [
        rsa.generate_private_key(public_exponent=65537, key_size=1024),
        ec.generate_private_key(ec.SECP256R1()),
        ed25519.Ed25519PrivateKey.generate(),
    ]
    for sample in samples:
        copyreg.pickle(type(sample), _reduce_private_key)
    # Some backends guard their state with a lock: a restored one gets a new, unheld lock.
    copyreg.pickle(type(threading.Lock()), lambda _: (threading.Lock, ()))
    copyreg.pickle(type(threading.RLock()), lambda _: (threading.RLock, ()))


def _locate(backend_dict: BackendDict) -> tuple[str, str]:
    """The module and attribute that hold a BackendDict, e.g. ("moto.ec2.models", "ec2_backends")."""
    module_name = backend_dict.backend.__module__
    for attribute, value in vars(sys.modules[module_name]).items():
        if value is backend_dict:
            return module_name, attribute
    raise LookupError(f"no module attribute holds the {backend_dict.service_name} backends")


def _find(module_name: str, attribute: str) -> BackendDict:
    __import__(module_name)
    return getattr(sys.modules[module_name], attribute)


class Snapshots:
    def __init__(self, directory: str, extra: dict[str, Any]) -> None:
        self._directory = directory
        # State the launcher keeps outside moto (e.g. tags), restored in place so its references stay valid.
        self._extra = extra
        _register_reducers()

    def _path(self, full_url: str) -> str:
        name = (parse_qs(urlparse(full_url).query).get("name") or [""])[0]
        if not _NAME.match(name):
            raise ValueError(f"snapshot name must be letters, digits, '_', '.' or '-' (got {name!r})")
        return os.path.join(self._directory, f"{name}.pickle")

    def save(self, path: str) -> dict[str, Any]:
        with backend_lock:
            state = {
                "backends": {
                    _locate(backend_dict): {account: dict(regions) for account, regions in backend_dict.items()}
                    for backend_dict in BackendDict._instances  # type: ignore[misc]
                    if len(backend_dict) > 0
                },
                "extra": self._extra,
            }
            data = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        os.makedirs(self._directory, exist_ok=True)
        temporary = f"{path}.partial"
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, path)  # a reader never sees half a snapshot
        return {"services": len(state["backends"]), "bytes": len(data)}

    def restore(self, path: str) -> dict[str, Any]:
        with open(path, "rb") as file:
            state = pickle.load(file)
        with backend_lock:
            BackendDict.reset()
            for (module_name, attribute), accounts in state["backends"].items():
                backend_dict = _find(module_name, attribute)
                for account, regions in accounts.items():
                    # Indexing makes the account's (empty, after the reset) dict and registers the BackendDict
                    # for the next reset; backend_lock is re-entrant.
                    dict.update(backend_dict[account], regions)
        for name, value in state["extra"].items():
            self._extra[name].clear()
            self._extra[name].update(value)
        return {"services": len(state["backends"])}

    def handler(self, action: str) -> Callable[[Any, str, Any], tuple[int, dict[str, str], str]]:
        def handle(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
            if request.method != "POST":
                return 405, {}, json.dumps({"error": f"POST to {action} a snapshot"})
            try:
                result = getattr(self, action)(self._path(full_url))
            except (ValueError, FileNotFoundError) as error:
                return 400, {}, json.dumps({"error": str(error)})
            except Exception as error:  # e.g. an object a new moto release keeps that cannot be pickled
                return 500, {}, json.dumps({"error": f"{type(error).__name__}: {error}"})
            return 200, {"Content-Type": "application/json"}, json.dumps(result)

        handle.__name__ = f"snapshot_{action}"
        return handle


def install(extra: dict[str, Any]) -> None:
    """Adds the snapshot endpoints to moto's own API when FAS_EMULATOR_SNAPSHOTS names a directory."""
    directory = os.environ.get("FAS_EMULATOR_SNAPSHOTS")
    if not directory:
        return
    from moto.moto_api._internal import urls

    snapshots = Snapshots(directory, extra)
    urls.url_paths["{0}/moto-api/snapshots/save"] = snapshots.handler("save")
    urls.url_paths["{0}/moto-api/snapshots/restore"] = snapshots.handler("restore")
