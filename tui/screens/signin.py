"""The sign-in screen: Microsoft's device code flow, on top of whatever the user was doing.

It shows the verification URL and the user code (never the device code), copies the code
to the local clipboard with OSC 52, counts down to expiry and can be cancelled with Esc.
When the OS keyring is unusable it first says why and offers the two explicit choices.
Workers do the blocking MSAL and keyring calls and post messages; the screen owns state.
"""

from __future__ import annotations

import time
from typing import Literal

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Static

from tui.auth.cache import MemoryStore, PlaintextStore, TokenStore
from tui.auth.errors import SignInCancelled
from tui.auth.provider import DeviceSignIn, Identity, MsalProvider, SignInNeeded
from tui.commands import bindings
from tui.graph import permissions
from tui.secrets.keyring_access import APP_CHOICES, KeyringUnavailable, unavailable_message
from tui.widgets.format import printable, printable_block
from tui.widgets.key_bar import KeyBar

State = Literal["keyring", "starting", "waiting", "browser", "failed", "done"]


class CodeReady(Message):
    def __init__(self, flow: DeviceSignIn) -> None:
        super().__init__()
        self.flow = flow


class SignedInAs(Message):
    def __init__(self, identity: Identity) -> None:
        super().__init__()
        self.identity = identity


class SignInError(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class KeyringProblem(Message):
    def __init__(self, problem: KeyringUnavailable) -> None:
        super().__init__()
        self.problem = problem


class StoreChosen(Message):
    def __init__(self, store: TokenStore) -> None:
        super().__init__()
        self.store = store


def remaining(expires_at: float, now: float) -> str:
    seconds = max(0, int(expires_at - now))
    return f"{seconds // 60}:{seconds % 60:02d}"


class SignInScreen(ModalScreen[bool]):
    """Dismissed with True once signed in, False if the user gave up."""

    BINDINGS = bindings("signin")

    def __init__(self, provider: MsalProvider, need: SignInNeeded, *, gui: bool = False) -> None:
        super().__init__()
        self.provider = provider
        self.need = need
        self.gui = gui
        self.state: State = "keyring" if need.keyring_problem else "starting"
        self.flow: DeviceSignIn | None = None
        self._attempt = 0
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        settings = self.provider.settings
        with Vertical(id="signin-dialog"):
            yield Static(
                f"Sign in to Microsoft 365 · {settings.cloud.label} · profile {settings.profile}",
                id="signin-title",
                markup=False,
            )
            yield Static(self._reason(), id="signin-reason", markup=False)
            yield Static("", id="signin-keyring", markup=False, classes="-hidden")
            yield Static("", id="signin-code", markup=False)
            yield Static("", id="signin-countdown", markup=False)
            yield Static("", id="signin-status", markup=False)
        yield KeyBar()

    def _reason(self) -> str:
        reason = self.need.reason
        if self.need.scopes:
            # Incremental consent: the sign-in is fine, this feature's permission is new.
            wanted = ", ".join(self.need.scopes)
            why = permissions.purpose(self.need.scopes) or "do this"
            return (f"To {why}, cal365 needs one more permission: {wanted}. Sign in again to "
                    "grant it (your administrator may have to approve it first).")
        if self.need.keyring_problem or reason == "not signed in":
            return "cal365 needs you to sign in."
        return f"Your sign-in is no longer accepted ({printable(reason, 200)}). Sign in again."

    def on_mount(self) -> None:
        if self.need.keyring_problem:
            self._show_keyring_problem(self.need.keyring_problem)
        else:
            self.start()

    def _show_keyring_problem(self, problem: KeyringUnavailable) -> None:
        self.state = "keyring"
        box = self.query_one("#signin-keyring", Static)
        box.update(printable_block(unavailable_message(problem.reason, choices=APP_CHOICES)))
        box.remove_class("-hidden")
        self._status("Press s or p to choose, or Esc to stop.")
        self.refresh_bindings()

    # -- state ----------------------------------------------------------------------------

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#signin-status", Static)
        status.update(printable_block(text, 2000))
        status.set_class(error, "-error")

    def start(self) -> None:
        self.state = "starting"
        self._attempt += 1
        self.query_one("#signin-code", Static).update("")
        self.query_one("#signin-countdown", Static).update("")
        self._status("Asking Microsoft for a sign-in code…")
        self.refresh_bindings()
        self.run_device_flow(self._attempt)

    @work(thread=True, exclusive=True, group="signin", exit_on_error=False)
    def run_device_flow(self, attempt: int) -> None:
        try:
            # Find out about the keyring before the user signs in, not after.
            self.provider.check_store()
            flow = self.provider.start_device_flow(self.need.scopes)
            self.post_message(CodeReady(flow))
            identity = flow.wait()
        except SignInCancelled:
            return
        except KeyringUnavailable as exc:
            self.post_message(KeyringProblem(exc))
            return
        except Exception as exc:  # every failure ends as a line on the screen
            from tui.problems import describe

            self.post_message(SignInError(describe(exc)))
            return
        self.post_message(SignedInAs(identity))

    def on_keyring_problem(self, message: KeyringProblem) -> None:
        self._show_keyring_problem(message.problem)

    @work(thread=True, exclusive=True, group="signin", exit_on_error=False)
    def run_browser(self) -> None:
        try:
            identity = self.provider.browser_sign_in(extra=self.need.scopes)
        except Exception as exc:
            from tui.problems import describe

            self.post_message(SignInError(describe(exc)))
            return
        self.post_message(SignedInAs(identity))

    @work(thread=True, exclusive=True, group="store", exit_on_error=False)
    def choose_store(self, store: TokenStore) -> None:
        self.provider.use_store(store)
        self.post_message(StoreChosen(store))

    def on_code_ready(self, message: CodeReady) -> None:
        if self.state != "starting":
            message.flow.cancel()
            return
        self.flow = message.flow
        self.state = "waiting"
        code = message.flow.code
        self.query_one("#signin-code", Static).update(
            f"On any device, open  {printable(code.verification_uri, 200)}\n"
            f"and enter the code   {printable(code.user_code, 40)}"
        )
        self._status("Waiting for you to finish in the browser… (y copies the code)")
        self._tick()
        if self._ticker is None:
            self._ticker = self.set_interval(1, self._tick)
        self.refresh_bindings()

    def _tick(self) -> None:
        if self.flow is None or self.state != "waiting":
            return
        left = remaining(self.flow.code.expires_at, time.time())
        self.query_one("#signin-countdown", Static).update(f"The code expires in {left}.")

    def on_signed_in_as(self, message: SignedInAs) -> None:
        self.state = "done"
        self.flow = None
        self.dismiss(True)

    def on_sign_in_error(self, message: SignInError) -> None:
        self.state = "failed"
        self.flow = None
        self.query_one("#signin-countdown", Static).update("")
        self._status(f"Sign-in failed: {message.text}. Enter tries again; Esc stops.", True)
        self.refresh_bindings()

    def on_store_chosen(self, message: StoreChosen) -> None:
        self.query_one("#signin-keyring", Static).add_class("-hidden")
        if isinstance(message.store, PlaintextStore):
            self.app.notify(
                f"{message.store.warning}. This choice lasts for this run; to keep it, set "
                'token_storage = "plaintext" in the config file or CAL365_TOKEN_STORAGE.',
                title="Tokens on disk, unencrypted",
                severity="warning",
                timeout=24 * 3600,
            )
        self.start()

    # -- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy_code":
            return self.state == "waiting"
        if action == "browser":
            return self.gui and self.state in ("waiting", "failed")
        if action == "retry":
            return self.state == "failed"
        if action in ("session_only", "plaintext"):
            return self.state == "keyring"
        return True

    def action_copy_code(self) -> None:
        if self.flow is not None:
            self.app.copy_to_clipboard(self.flow.code.user_code)
            self._status("Code copied to your clipboard (if your terminal allows OSC 52).")

    def action_browser(self) -> None:
        if self.flow is not None:
            self.flow.cancel()
            self.flow = None
        self.state = "browser"
        self._status("Finish signing in in the browser window that opened…")
        self.refresh_bindings()
        self.run_browser()

    def action_retry(self) -> None:
        self.start()

    def action_session_only(self) -> None:
        self.state = "starting"
        self.choose_store(MemoryStore())

    def action_plaintext(self) -> None:
        self.state = "starting"
        self.choose_store(PlaintextStore(self.provider.settings.profile))

    def action_cancel_sign_in(self) -> None:
        if self.flow is not None:
            self.flow.cancel()
            self.flow = None
        self.state = "done"
        self.dismiss(False)
