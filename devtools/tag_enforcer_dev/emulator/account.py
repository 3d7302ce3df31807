"""An emulated AWS account: a moto server on 127.0.0.1, extended for the Studio APIs moto lacks."""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

import boto3
import requests
from botocore.config import Config
from moto import mock_aws
from moto.server import ThreadedMotoServer

from tag_enforcer_dev.emulator.faults import FaultInjector
from tag_enforcer_dev.emulator.moto_patches import install_all

# moto's default account id (moto docs, "Account ID").
EMULATED_ACCOUNT_ID = "123456789012"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "emulated",
    "AWS_SECRET_ACCESS_KEY": "emulated",
    "AWS_SESSION_TOKEN": "emulated",
}


@dataclass
class EmulatedAccount:
    """A running moto server and the environment that points boto3 at it."""

    region: str = "us-east-1"
    account_id: str = EMULATED_ACCOUNT_ID
    endpoint_url: str = ""
    port: int = 0  # 0: the OS picks a free port
    _server: ThreadedMotoServer | None = field(default=None, repr=False)
    # Idle until a test asks for faults (emulator/faults.py).
    faults: FaultInjector = field(default_factory=FaultInjector, repr=False)
    _running: ClassVar[EmulatedAccount | None] = None

    def start(self) -> EmulatedAccount:
        # moto keeps one global state per process: two live accounts would share it.
        if EmulatedAccount._running is not None:
            raise RuntimeError("an emulated account is already running in this process")
        install_all()
        # moto's request log and its warnings about resource types it skips are noise here.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        # "No Moto CloudFormation support for ..." (policies, alarms): listed in the README.
        logging.getLogger("moto").setLevel(logging.ERROR)
        # The ASL executor logs every task failure a definition catches, state tree and all.
        logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)
        warnings.filterwarnings("ignore", module="moto.cloudformation.parsing")
        # Port 0 lets the OS pick a free port; the server only listens on loopback.
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        # Every request passes the injector (ThreadedMotoServer._server is the werkzeug server).
        self.faults.attach(self._server._server)
        host, port = self._server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"
        EmulatedAccount._running = self
        self.reset()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self.reset()
            self._server.stop()
            self._server = None
            EmulatedAccount._running = None

    @property
    def environment(self) -> dict[str, str]:
        """What a process needs to talk to this account through the standard credential chain."""
        return {
            **FAKE_CREDENTIALS,
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
        }

    def client(self, service_name: str, region: str | None = None) -> Any:
        return boto3.session.Session(
            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
        ).client(
            service_name,
            region_name=region or self.region,
            endpoint_url=self.endpoint_url,
            config=Config(retries={"mode": "standard", "max_attempts": 2}),
        )

    def reset(self) -> None:
        """Forget every resource, as a fresh account would."""
        requests.post(f"{self.endpoint_url}/moto-api/reset", timeout=10)


@contextmanager
def pointed_at(account: EmulatedAccount) -> Iterator[None]:
    """Point the process's boto3 default chain at the emulated account for the block."""
    with environment_variables(account.environment):
        yield


@contextmanager
def environment_variables(variables: dict[str, str]) -> Iterator[None]:
    """Set process environment variables for the block, then restore what was there."""
    saved = {key: os.environ.get(key) for key in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def in_process_moto() -> Iterator[None]:
    """moto in this process (`mock_aws`), with the same patches as the emulated account."""
    install_all()
    with mock_aws():
        yield


@contextmanager
def running_account(region: str = "us-east-1") -> Iterator[EmulatedAccount]:
    account = EmulatedAccount(region=region).start()
    try:
        with pointed_at(account):
            yield account
    finally:
        account.stop()
