"""Access tokens from MSAL: silent from the cache, refreshed when needed, and a device code
sign-in when nothing else works.

MSAL and the keyring block, so every call into them runs in a thread; one lock keeps MSAL's
in-memory cache consistent, and the store's file lock keeps other cal365 processes out
during each read-modify-write. Token values stay inside MSAL's cache and the return value
of `get_token`; nothing here logs, stores or formats them.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tui.auth.cache import CacheUnreadable, MemoryStore, TokenStore
from tui.auth.errors import (
    SignInCancelled,
    SignInExpired,
    SignInFailed,
    SignInRequired,
    SignInUnavailable,
)
from tui.config import Settings
from tui.secrets.keyring_access import KeyringUnavailable

# A request refused within this many seconds after the token was replaced was sent with
# the old token: it gets the new one, not another refresh or sign-in.
RENEWAL_GRACE = 10.0

# Called when interactive sign-in is needed; returns True once the user signed in.
SignInHook = Callable[["SignInNeeded"], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class SignInNeeded:
    """Why the app must ask the user: no account yet, a rejected refresh, no keyring, or a
    feature that needs a permission not granted yet (`scopes`, the permission names)."""

    reason: str
    keyring_problem: KeyringUnavailable | None = None
    scopes: tuple[str, ...] = ()
    # The identity provider refused the refresh token (revoked, expired, password changed).
    refused: bool = False


@dataclass(frozen=True, slots=True)
class DeviceCode:
    """What the user needs to see: never the device code itself."""

    user_code: str
    verification_uri: str
    expires_at: float
    message: str


@dataclass(frozen=True, slots=True)
class Identity:
    username: str
    tenant_id: str
    home_account_id: str


# Seconds to connect to, and then to hear from, the identity provider: a dead network must
# end as a message, not as a sign-in screen that waits forever.
IDP_TIMEOUT = (10.0, 30.0)


def _session(ca_bundle: str = "") -> Any:
    """The HTTP session MSAL uses: timeouts always, and when `ca_bundle` is given, TLS checked
    against it even if REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE is set (requests lets those
    override a session's own `verify`)."""
    import requests
    from requests.adapters import HTTPAdapter

    class Session(requests.Session):
        def request(self, *args: Any, **kwargs: Any) -> Any:
            if kwargs.get("timeout") is None:
                kwargs["timeout"] = IDP_TIMEOUT
            return super().request(*args, **kwargs)

        def merge_environment_settings(self, *args: Any, **kwargs: Any) -> Any:
            settings = super().merge_environment_settings(*args, **kwargs)
            if ca_bundle:
                settings["verify"] = ca_bundle
            return settings

    session = Session()
    session.mount("https://", HTTPAdapter(max_retries=1))  # as MSAL's own default
    return session


def _error_text(result: dict[str, Any] | None, fallback: str) -> str:
    if not result:
        return fallback
    description = str(result.get("error_description") or "").strip()
    # Entra appends trace and correlation ids on new lines; the first line is the message.
    first = description.splitlines()[0] if description else ""
    error = str(result.get("error") or "")
    return f"{error}: {first}" if error and first else (first or error or fallback)


class DeviceSignIn:
    """One device code flow. `wait()` blocks (run it in a thread); `cancel()` ends it soon."""

    def __init__(self, provider: MsalProvider, flow: dict[str, Any]) -> None:
        self._provider = provider
        self._flow = flow
        self.cancelled = False
        self.code = DeviceCode(
            user_code=str(flow["user_code"]),
            verification_uri=str(flow.get("verification_uri") or flow.get("verification_url")),
            expires_at=float(flow.get("expires_at", time.time() + 900)),
            message=str(flow.get("message", "")),
        )

    def __repr__(self) -> str:
        return f"DeviceSignIn(user_code={self.code.user_code!r}, cancelled={self.cancelled})"

    def cancel(self) -> None:
        self.cancelled = True
        # MSAL's documented way to stop acquire_token_by_device_flow from another thread.
        self._flow["expires_at"] = 0

    def wait(self) -> Identity:
        return self._provider._finish_device_flow(self)


class MsalProvider:
    """Implements tui.graph.client.TokenProvider for delegated and app-only sign-in."""

    def __init__(
        self, settings: Settings, store: TokenStore, *, http_client: object | None = None
    ) -> None:
        self.settings = settings
        self.store = store
        self._http_client = http_client
        self._lock = threading.RLock()
        self._app: Any = None
        self._cache: Any = None
        self._sign_in: asyncio.Task[bool] | None = None
        self.on_sign_in_needed: SignInHook | None = None
        # The last reason silent sign-in failed (shown to the user; never holds a token).
        self.last_problem = ""
        self._load_problem = ""  # why the saved cache could not be used, if it could not
        self._last_handed = b""  # sha256 of the token get_token returned last
        self._renewed_at = -RENEWAL_GRACE  # when a refused token was last replaced

    @property
    def load_problem(self) -> str:
        """Why the saved cache could not be used at the last look, or ""."""
        return self._load_problem

    def __repr__(self) -> str:
        return f"MsalProvider(profile={self.settings.profile!r}, store={self.store.description!r})"

    # -- MSAL objects (built lazily: msal is heavy to import) ----------------------------------

    def _token_cache(self) -> Any:
        if self._cache is None:
            import msal

            from tui.auth.redact import guard_library_logs

            guard_library_logs()
            self._cache = msal.SerializableTokenCache()
        return self._cache

    def _application(self) -> Any:
        if self._app is None:
            import msal

            options: dict[str, Any] = {"authority": self.settings.authority,
                                       "token_cache": self._token_cache()}
            if self.settings.authority_host:
                options["instance_discovery"] = False
            options["http_client"] = self._http_client or _session(self.settings.ca_bundle)
            if self.settings.app_only:
                self._app = msal.ConfidentialClientApplication(
                    self.settings.client_id, client_credential=self._credential(), **options
                )
            else:
                self._app = msal.PublicClientApplication(self.settings.client_id, **options)
        return self._app

    def _credential(self) -> str | dict[str, str]:
        if self.settings.client_secret:
            return self.settings.client_secret
        from tui.auth.certificate import load_credential

        return load_credential(self.settings.certificate)

    def use_store(self, store: TokenStore) -> None:
        """Switch storage (the user chose session-only or plaintext); keeps what is in memory."""
        with self._lock:
            self.store = store
            if self._cache is not None and store.persistent:
                with store.lock():
                    store.save(self._cache.serialize())

    def check_store(self) -> None:
        """Raise KeyringUnavailable now rather than after the user has signed in (blocking)."""
        check = getattr(self.store, "check", None)
        if check is not None:
            check()

    # -- cache transactions ---------------------------------------------------------------

    @contextlib.contextmanager
    def _reaching_idp(self) -> Iterator[None]:
        """Network failures of MSAL's HTTP layer become one readable error."""
        import requests

        try:
            yield
        except requests.exceptions.RequestException as exc:
            host = urlsplit(self.settings.authority).netloc
            if isinstance(exc, requests.exceptions.SSLError):
                why = "its TLS certificate is not trusted (CAL365_CA_BUNDLE names a CA file)"
            elif isinstance(exc, requests.exceptions.Timeout):
                why = "it did not answer in time"
            else:
                why = "the connection failed"
            raise SignInUnavailable(f"cannot reach the sign-in service {host}: {why}") from None

    def _transaction(self, action: Callable[[], Any]) -> Any:
        """Reload the cache if another process changed it, act, then save what changed."""
        with self._lock:
            self._token_cache()
            with self.store.lock():
                if self.store.changed():
                    try:
                        state = self.store.load()
                    except CacheUnreadable as exc:
                        self._load_problem = str(exc)
                        state = None
                    else:
                        self._load_problem = ""
                    self._cache.deserialize(state)
                result = action()
                if self._cache.has_state_changed:
                    self.store.save(self._cache.serialize())
                    self._cache.has_state_changed = False
            return result

    def _account(self) -> dict[str, Any] | None:
        accounts = self._application().get_accounts()
        return accounts[0] if accounts else None

    def identity(self) -> Identity | None:
        """Who is signed in according to the cache (blocking)."""
        if self.settings.app_only:
            return None

        def find() -> Identity | None:
            # From the cache alone: `whoami` works offline.
            import msal

            kind = msal.TokenCache.CredentialType.ACCOUNT
            account = next(iter(self._cache.search(kind)), None)
            if account is None:
                return None
            home = str(account.get("home_account_id", ""))
            return Identity(str(account.get("username", "")), home.partition(".")[2], home)

        result: Identity | None = self._transaction(find)
        return result

    def silent_token(
        self, force_refresh: bool = False, extra: frozenset[str] = frozenset()
    ) -> str | None:
        """A valid access token without asking the user, or None (blocking)."""
        token, self.last_problem, _ = self._silent(force_refresh, extra)
        return token

    def _silent(
        self, force_refresh: bool, extra: frozenset[str] = frozenset()
    ) -> tuple[str | None, str, bool]:
        """The token, or None and why (and whether the identity provider refused): per
        call, as several requests may ask at once.

        With `extra` permissions, MSAL uses the refresh token to ask for them; the identity
        provider grants them silently once consented, and refuses (consent_required) before.
        """
        scopes = self.settings.scopes_with(extra)
        missing = ""

        def acquire() -> dict[str, Any] | None:
            nonlocal missing
            app = self._application()
            if self.settings.app_only:
                if force_refresh:
                    self._cache.deserialize(None)  # drop the rejected token; MSAL refuses force
                return app.acquire_token_for_client(scopes=scopes)  # type: ignore[no-any-return]
            account = self._account()
            if account is None:
                missing = self._load_problem or "not signed in"
                return None
            return app.acquire_token_silent_with_error(  # type: ignore[no-any-return]
                scopes, account=account, force_refresh=force_refresh
            )

        with self._reaching_idp():
            result = self._transaction(acquire)
        if result and "access_token" in result:
            return str(result["access_token"]), "", False
        if not result:
            return None, missing or "no token for this account in the cache", False
        problem = _error_text(result, "the identity provider refused")
        if self.settings.app_only:
            raise SignInFailed(f"app-only sign-in failed: {problem}")
        return None, problem, True

    # -- device code flow -----------------------------------------------------------------

    def start_device_flow(self, extra: Iterable[str] = ()) -> DeviceSignIn:
        """Ask the identity provider for a code to show (blocking); `extra` permissions are
        asked for beside the base ones."""
        if self.settings.app_only:
            raise SignInFailed("app-only mode signs in with its secret or certificate")
        scopes = self.settings.scopes_with(extra)
        with self._lock, self._reaching_idp():
            flow = self._application().initiate_device_flow(scopes=scopes)
        if "user_code" not in flow:
            raise SignInFailed(_error_text(flow, "the identity provider gave no device code"))
        return DeviceSignIn(self, flow)

    def _finish_device_flow(self, sign_in: DeviceSignIn) -> Identity:
        # Poll without holding the lock: it can take minutes, and silent calls must go on.
        with self._reaching_idp():
            result = self._application().acquire_token_by_device_flow(sign_in._flow)
        if sign_in.cancelled:
            raise SignInCancelled()
        if "access_token" not in result:
            error = result.get("error")
            if error == "authorization_pending":  # MSAL stopped polling at the expiry time
                raise SignInExpired("the code expired before sign-in finished")
            if error in ("expired_token", "code_expired"):  # the server said so first
                raise SignInExpired(_error_text(result, "the code expired"))
            raise SignInFailed(_error_text(result, "sign-in failed"))

        # MSAL already put the tokens in the in-memory cache; persist them under the lock.
        return self._persist_new_sign_in(result)

    def browser_sign_in(self, timeout: float = 300, extra: Iterable[str] = ()) -> Identity:
        """The interactive flow in a local browser (blocking). Callers check
        `tui.desktop.local_gui()` first; the registration needs the redirect URI
        http://localhost."""
        if self.settings.app_only:
            raise SignInFailed("app-only mode signs in with its secret or certificate")
        app = self._application()
        with self._lock:
            before = self._cache.serialize()
        with self._reaching_idp():
            try:
                result = app.acquire_token_interactive(
                    self.settings.scopes_with(extra), prompt="select_account", timeout=timeout
                )
            except (RuntimeError, ValueError) as exc:
                # MSAL raises these for an answer that fails its checks (state, nonce), after
                # it has put the tokens in its cache: they must not stay, nor be saved.
                with self._lock:
                    self._cache.deserialize(before)
                    self._cache.has_state_changed = False
                raise SignInFailed(f"browser sign-in failed: {exc}") from None
        if "access_token" not in result:
            raise SignInFailed(_error_text(result, "browser sign-in failed"))
        return self._persist_new_sign_in(result)

    def _persist_new_sign_in(self, result: dict[str, Any]) -> Identity:
        with self._lock, self.store.lock():
            self._keep_only_the_new_account(result)
            self.store.save(self._cache.serialize())
            self._cache.has_state_changed = False
        identity = self.identity()
        if identity is None:
            raise SignInFailed("the identity provider returned no account")
        return identity

    def _keep_only_the_new_account(self, result: dict[str, Any]) -> None:
        """A profile holds one account (its calendar cache is bound to it): one who signs in
        as someone else (after a refused sign-in, say) replaces the earlier account, whose
        tokens would otherwise be found first and refused again."""
        claims = result.get("id_token_claims") or {}
        oid, tid = claims.get("oid"), claims.get("tid")
        if not (isinstance(oid, str) and isinstance(tid, str)):
            return
        new = f"{oid}.{tid}".lower()
        app = self._application()
        accounts = app.get_accounts()
        if not any(str(a.get("home_account_id", "")).lower() == new for a in accounts):
            return  # not the shape expected: change nothing
        for account in accounts:
            if str(account.get("home_account_id", "")).lower() != new:
                app.remove_account(account)

    # -- sign-out -------------------------------------------------------------------------

    def sign_out(self) -> list[str]:
        """Forget every account of this profile locally; returns what was removed (blocking)."""
        # The whole profile cache goes (file and key), so no network and no MSAL are needed.
        with self._lock:
            self._cache = self._app = None
            return self.store.wipe()

    # -- TokenProvider --------------------------------------------------------------------

    async def get_token(
        self, *, force_refresh: bool = False, scopes: frozenset[str] = frozenset()
    ) -> str:
        extra = frozenset() if self.settings.app_only else scopes
        return self._handed_out(await self._get_token(force_refresh, extra))

    def _handed_out(self, token: str) -> str:
        # A digest, not the token: enough to tell "the same token" from "a newer one".
        self._last_handed = hashlib.sha256(token.encode()).digest()
        return token

    async def _get_token(self, force_refresh: bool, extra: frozenset[str]) -> str:
        need: SignInNeeded
        try:
            if force_refresh and self._last_handed:
                # Graph refused a token. If another request renewed it meanwhile (a refresh
                # or a sign-in that finished while this request was in flight), the refused
                # token was the old one: use the new one rather than refreshing again or
                # asking the user a second time.
                current, _, _ = await asyncio.to_thread(self._silent, False, extra)
                fresh = time.monotonic() - self._renewed_at < RENEWAL_GRACE
                digest = hashlib.sha256(current.encode()).digest() if current else b""
                if current and (digest != self._last_handed or fresh):
                    return current
            token, problem, refused = await asyncio.to_thread(
                self._silent, force_refresh, extra)
            if token and force_refresh:
                self._renewed_at = time.monotonic()
        except KeyringUnavailable as exc:
            if isinstance(self.store, MemoryStore):
                raise
            need = SignInNeeded(exc.reason, exc)
        else:
            if token:
                return token
            # With extra permissions the reason is usually consent_required: the account
            # is fine, this feature's permission was never granted.
            need = SignInNeeded(problem or "not signed in", scopes=tuple(sorted(extra)),
                                refused=refused and not extra)
        if self.on_sign_in_needed is None:
            if need.scopes:
                raise SignInRequired(
                    f"this needs the permission {', '.join(need.scopes)} ({need.reason}): "
                    f"run cal365 login --permission {' --permission '.join(need.scopes)}"
                )
            if need.keyring_problem is not None:  # one line: cal365 login gives the advice
                raise SignInRequired(
                    f"the saved sign-in cannot be read: the OS keyring is not usable "
                    f"({need.keyring_problem.reason}); unlock it and run the command again "
                    "(cal365 login says how), or sign in with --token-storage plaintext")
            if need.refused:
                raise SignInRequired(f"the sign-in service no longer accepts this sign-in "
                                     f"({need.reason}): sign in again with cal365 login")
            raise SignInRequired(f"sign-in needed ({need.reason}): run cal365 login")
        await self._interactive(need)
        if force_refresh:
            self._renewed_at = time.monotonic()
        token, problem, _ = await asyncio.to_thread(self._silent, False, extra)
        if not token:
            raise SignInRequired(f"still no token after sign-in ({problem})")
        return token

    async def _interactive(self, need: SignInNeeded) -> None:
        """Ask the user once, however many requests are waiting for a token."""
        hook = self.on_sign_in_needed
        assert hook is not None
        if self._sign_in is None or self._sign_in.done():
            self._sign_in = asyncio.ensure_future(hook(need))
        if not await asyncio.shield(self._sign_in):
            raise SignInCancelled()
