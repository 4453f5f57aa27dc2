"""Logging in to the stack's Trino as one of the users of CONTRACT section 8, the way the Java side's
TrinoLogin does: TRINO_URL, the user's password from the environment variable TRINO_PASSWORD_<USER>
or else $DATA_DIR/credentials.env, over HTTPS trusting exactly $DATA_DIR/tls/trino.pem."""

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
import trino


def data_dir() -> Path:
    return Path(os.environ.get("DATA_DIR", ".data"))


def password_of(user: str) -> str:
    name = f"TRINO_PASSWORD_{user.upper()}"
    if os.environ.get(name, "").strip():
        return os.environ[name].strip()
    secrets = data_dir() / "credentials.env"
    if secrets.exists():
        for line in secrets.read_text().splitlines():
            key, _, value = line.strip().partition("=")
            if key.strip() == name and value.strip():
                return value.strip()
    raise RuntimeError(
        f"no Trino password for user '{user}': run `make up` once (it writes {secrets}) "
        f"or set the environment variable {name}"
    )


@dataclass(frozen=True)
class TrinoLogin:
    url: str
    user: str

    @classmethod
    def of(cls, user: str) -> "TrinoLogin":
        return cls(os.environ.get("TRINO_URL", "https://127.0.0.1:8443"), user)

    def connect(self, catalog: str = "iceberg") -> trino.dbapi.Connection:
        parts = urlsplit(self.url)
        # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a session's `verify`: trust only
        # the stack's certificate, whatever the environment says
        session = requests.Session()
        session.trust_env = False
        session.verify = str(data_dir() / "tls" / "trino.pem")
        return trino.dbapi.connect(
            host=parts.hostname,
            port=parts.port,
            user=self.user,
            catalog=catalog,
            http_scheme="https",
            auth=trino.auth.BasicAuthentication(self.user, password_of(self.user)),
            http_session=session,
        )
