"""Error pages: JSON under /api, Vietnamese HTML elsewhere."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    401: "Bạn cần đăng nhập.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy trang.",
    405: "Phương thức không được hỗ trợ.",
    409: "Dữ liệu đã bị người khác thay đổi.",
    413: "Tệp tải lên quá lớn.",
    422: "Dữ liệu không hợp lệ.",
    429: "Bạn đã thử quá nhiều lần. Vui lòng đợi vài phút rồi thử lại.",
    500: "Lỗi hệ thống. Ban tổ chức đã được ghi nhận lỗi.",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        message = _("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang và thử lại.")
        if _wants_json():
            return jsonify(error=message), 400
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        message = _(MESSAGES.get(code, exc.name))
        if code in (403, 404) and exc.description and exc.description != type(exc).description:
            message = exc.description  # our own Vietnamese sentence, e.g. why a referee may not see a match
        if _wants_json():
            return jsonify(error=exc.description if code in (404, 422) and exc.description else message), code
        return render_template("error.html", code=code, message=message), code

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("Unhandled error on %s", request.path)
        message = _(MESSAGES[500])
        if _wants_json():
            return jsonify(error=message), 500
        return render_template("error.html", code=500, message=message), 500
