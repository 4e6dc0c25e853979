"""Log in and out, register, reset a password, and the own account page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from marketplace.accounts import flows, throttle
from marketplace.accounts.forms import (
    ROLE_LABELS,
    ChangePasswordForm,
    LoginForm,
    NewPasswordForm,
    ProfileForm,
    RegisterForm,
    ResetRequestForm,
)
from marketplace.accounts.passwords import verify_password
from marketplace.accounts.services import update_profile
from marketplace.accounts.sessions import (
    Throttled,
    ThrottlePolicy,
    authenticate,
    change_password,
    end_session,
    start_session,
)
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.main.home import landing_url

auth_bp = Blueprint("auth", __name__)
account_bp = Blueprint("account", __name__, url_prefix="/account")

CHECK_MAIL = _l(
    "Als dit e-mailadres bij ons bekend is, of als u zich net heeft aangemeld, krijgt u "
    "binnen enkele minuten een e-mail. Kijk ook in de map met ongewenste mail."
)


def _policy() -> ThrottlePolicy:
    from datetime import timedelta

    cfg = current_app.config
    return ThrottlePolicy(
        max_per_account=cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        max_per_ip=cfg["LOGIN_MAX_FAILURES_PER_IP"],
        window=timedelta(seconds=cfg["LOGIN_THROTTLE_WINDOW_SECONDS"]),
    )


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: never redirect to another host after login."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read "/\\host" as "//host" and drop tabs and newlines, so refuse them all.
    if "\\" in target or any(ord(char) < 33 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _link_problem(error: flows.InvalidLink) -> str:
    if isinstance(error, flows.LinkExpired):
        return _("Deze link is verlopen. Vraag een nieuwe aan.")
    return _("Deze link klopt niet of is al gebruikt.")


def _base_url() -> str:
    return request.host_url.rstrip("/")


def _login_page(form: LoginForm) -> str:
    demo = None
    if current_app.config.get("SHOW_DEMO_CREDENTIALS"):
        from marketplace.demo.seed import demo_accounts

        demo = demo_accounts()
    return render_template("auth/login.html", form=form, demo_accounts=demo)


@auth_bp.route("/inloggen", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data,
                                ip=request.remote_addr or "?", policy=_policy())
        except Throttled:
            minutes = max(current_app.config["LOGIN_THROTTLE_WINDOW_SECONDS"] // 60, 1)
            form.form_errors.append(_("Te veel pogingen om in te loggen. Wacht %(minutes)s "
                                      "minuten en probeer het dan opnieuw.", minutes=minutes))
            return _login_page(form), 429, {"Retry-After": str(minutes * 60)}
        if user is None:
            db.session.commit()  # keep the failed attempt for the throttle
            form.form_errors.append(_(
                "Het e-mailadres of het wachtwoord klopt niet. Heeft u net een account "
                "gemaakt? Klik dan eerst op de link in de e-mail."
            ))
        else:
            start_session(user, ip=request.remote_addr,
                          user_agent=request.headers.get("User-Agent"))
            lang = session.get("lang")
            session.clear()  # a fresh session on login: no fixation
            if lang:
                session["lang"] = lang
            login_user(user)
            db.session.commit()
            flash(_("U bent ingelogd."), "success")
            return redirect(_safe_next(request.args.get("next")) or landing_url(user))
    return _login_page(form)


@auth_bp.post("/uitloggen")
def logout():
    if current_user.is_authenticated and current_user.session_token:
        end_session(current_user.session_token)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("U bent uitgelogd."), "success")
    return redirect(url_for("main.index"))


@auth_bp.route("/account-maken", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        limit = throttle.register_limit(current_app.config)  # in the database, like the reset
        if not throttle.allow("register", ip=request.remote_addr or "?",
                              address=form.email.data or "", limit=limit):
            form.form_errors.append(_("U probeerde te vaak een account te maken. Wacht een uur "
                                      "en probeer het dan opnieuw."))
            seconds = str(int(limit.window.total_seconds()))
            return render_template("auth/register.html", form=form), 429, {
                "Retry-After": seconds}
        db.session.commit()  # counted also when the registration itself is refused
        try:
            flows.register(form.email.data, form.name.data, form.password.data,
                           base_url=_base_url(), secret_key=current_app.secret_key,
                           locale=session.get("lang", "nl"))
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            db.session.commit()
            return render_template("auth/check_mail.html", message=CHECK_MAIL)
    return render_template("auth/register.html", form=form)


@auth_bp.get("/account-bevestigen/<token>")
def confirm(token: str):
    try:
        flows.confirm_email(token, secret_key=current_app.secret_key,
                            max_age=current_app.config["EMAIL_CONFIRM_MAX_AGE_SECONDS"])
    except flows.InvalidLink as error:
        flash(_link_problem(error), "error")
        return redirect(url_for("auth.login"))
    db.session.commit()
    flash(_("Uw e-mailadres is bevestigd. U kunt nu inloggen."), "success")
    return redirect(url_for("auth.login"))


@auth_bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        limit = throttle.reset_limit(current_app.config)  # in the database: holds across workers
        if not throttle.allow("password_reset", ip=request.remote_addr or "?",
                              address=form.email.data or "", limit=limit):
            form.form_errors.append(_("U vroeg te vaak om een nieuwe link. Wacht een uur en "
                                      "probeer het dan opnieuw."))
            seconds = str(int(limit.window.total_seconds()))
            return render_template("auth/reset_request.html", form=form), 429, {
                "Retry-After": seconds}
        flows.request_password_reset(form.email.data, base_url=_base_url(),
                                     secret_key=current_app.secret_key)
        db.session.commit()
        return render_template("auth/check_mail.html", message=CHECK_MAIL)
    return render_template("auth/reset_request.html", form=form)


@auth_bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
def reset(token: str):
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"]
    if request.method == "GET":
        # Say at once that a link is used or expired, not after a new password is typed.
        try:
            flows.user_for_link_token(token, "reset", current_app.secret_key, max_age)
        except flows.InvalidLink as error:
            flash(_link_problem(error), "error")
            return redirect(url_for("auth.reset_request"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            flows.reset_password(token, form.password.data, secret_key=current_app.secret_key,
                                 max_age=max_age)
        except flows.InvalidLink as error:
            db.session.rollback()
            flash(_link_problem(error), "error")
            return redirect(url_for("auth.reset_request"))
        except DomainError as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Uw wachtwoord is veranderd. Log in met uw nieuwe wachtwoord."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@account_bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    form = ProfileForm(obj=current_user)
    if request.method == "GET":
        form.locale.data = current_user.locale or "nl"
    if form.validate_on_submit():
        update_profile(current_user, name=form.name.data, locale=form.locale.data)
        session["lang"] = form.locale.data
        db.session.commit()
        flash(_("Uw gegevens zijn opgeslagen."), "success")
        return redirect(url_for("account.index"))
    role_names = [str(ROLE_LABELS[role]) for role in current_user.roles]
    return render_template("account/index.html", form=form, role_names=role_names)


@account_bp.route("/wachtwoord", methods=["GET", "POST"])
@login_required
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("Dit is niet uw huidige wachtwoord."))
        else:
            try:
                change_password(current_user, form.password.data)
            except DomainError as error:
                db.session.rollback()
                form.password.errors.append(error.message)
            else:
                # Every session ended, this one too; start a new one so the person stays in.
                start_session(current_user, ip=request.remote_addr,
                              user_agent=request.headers.get("User-Agent"))
                login_user(current_user._get_current_object())
                db.session.commit()
                flash(_("Uw wachtwoord is veranderd. Op andere apparaten bent u uitgelogd."),
                      "success")
                return redirect(url_for("account.index"))
    return render_template("account/password.html", form=form)
