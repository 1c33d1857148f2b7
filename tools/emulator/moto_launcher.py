"""Start moto's server on a free loopback port, made faithful to AWS where anwbis depends on it.

moto is an independent implementation of IAM and STS, which is why the tests use it as their
oracle. In a few places it differs from AWS in ways that would force anwbis to be written for
moto instead of for AWS. This launcher patches exactly those places, and nothing else:

* ListMFADevices without UserName: AWS lists the devices of the calling IAM user (inferred from
  the access key); moto fails. anwbis relies on the inference to look the device up in parallel
  with the other discovery calls.
* GetSessionToken: AWS returns temporary credentials bound to the calling IAM user, so calls made
  with them act as that user in that account; moto returns one fixed example key that belongs to
  nobody. The patch issues a fresh temporary key registered to the caller, and makes
  GetCallerIdentity, GetUser and ListMFADevices answer for that user when called with it.

The server binds 127.0.0.1 on a port the OS picks, prints one JSON line
{"port": N, "pid": P} on stdout when it accepts connections, and exits when its stdin closes,
so it can never outlive the process that started it.
"""

import datetime
import json
import os
import sys
import threading

try:
    import moto  # noqa: F401
except ImportError:  # pragma: no cover - exercised by the harness's own message
    sys.stderr.write(
        "moto is not installed for " + sys.executable + ".\n"
        "Install it with: python3 -m pip install 'moto[server]'\n"
    )
    sys.exit(3)

from moto.core.utils import utcnow
from moto.iam.models import iam_backends
from moto.iam.responses import IamResponse
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.sts.responses import TokenResponse
from moto.sts.utils import random_session_token
from moto.utilities.utils import get_partition
from werkzeug.serving import make_server

# access key id of a GetSessionToken credential -> (account id, IAM user name)
SESSION_KEYS: dict[str, tuple[str, str]] = {}


def _caller_user_name(response) -> str | None:
    access_key_id = response.get_access_key()
    if access_key_id in SESSION_KEYS:
        return SESSION_KEYS[access_key_id][1]
    backend = iam_backends[response.current_account][get_partition(response.region)]
    user = backend.get_user_from_access_key_id(access_key_id)
    return user.name if user else None


_original_list_mfa_devices = IamResponse.list_mfa_devices


def _set_param(response, name: str, value: str) -> None:
    if getattr(response, "automated_parameter_parsing", False):
        response.params[name] = value
    response.querystring[name] = [value]


def list_mfa_devices(self):
    if not self._get_param("UserName"):
        user_name = _caller_user_name(self)
        if user_name:
            _set_param(self, "UserName", user_name)
    return _original_list_mfa_devices(self)


_original_get_user = IamResponse.get_user


def get_user(self):
    if not self._get_param("UserName") and self.get_access_key() in SESSION_KEYS:
        _set_param(self, "UserName", SESSION_KEYS[self.get_access_key()][1])
    return _original_get_user(self)


def get_session_token(self):
    from moto.core.responses import ActionResult

    duration = self._get_int_param("DurationSeconds", 43200)
    account_id = self.current_account
    partition = get_partition(self.region)
    backend = iam_backends[account_id][partition]
    user = backend.get_user_from_access_key_id(self.get_access_key())
    if user is None:
        return _original_get_session_token(self)
    key = backend.create_temp_access_key()
    SESSION_KEYS[key.access_key_id] = (account_id, user.name)
    return ActionResult(
        {
            "Credentials": {
                "AccessKeyId": key.access_key_id,
                "SecretAccessKey": key.secret_access_key,
                "SessionToken": random_session_token(),
                "Expiration": utcnow() + datetime.timedelta(seconds=duration),
            }
        }
    )


_original_get_session_token = TokenResponse.get_session_token
_original_get_caller_identity = TokenResponse.get_caller_identity


def get_caller_identity(self):
    from moto.core.responses import ActionResult

    access_key_id = self.get_access_key()
    if access_key_id not in SESSION_KEYS:
        return _original_get_caller_identity(self)
    account_id, user_name = SESSION_KEYS[access_key_id]
    user = iam_backends[account_id][get_partition(self.region)].get_user(user_name)
    return ActionResult({"UserId": user.id, "Account": account_id, "Arn": user.arn})


def apply_patches() -> None:
    IamResponse.list_mfa_devices = list_mfa_devices
    IamResponse.get_user = get_user
    TokenResponse.get_session_token = get_session_token
    TokenResponse.get_caller_identity = get_caller_identity


def _exit_when_parent_goes() -> None:
    sys.stdin.read()
    os._exit(0)


def main() -> None:
    apply_patches()
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=_exit_when_parent_goes, daemon=True).start()
    sys.stdout.write(json.dumps({"port": server.server_address[1], "pid": os.getpid()}) + "\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
