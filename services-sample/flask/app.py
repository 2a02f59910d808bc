"""The original Flask user-service, for `npm run bench:samples` only: the same two routes,
run by Flask's own server (app.run), as the Flask microservice examples run it."""
import os

from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/health")
def health():
    return jsonify(status="UP")


@app.route("/user/<int:id>")
def get_user(id):
    return jsonify(id=id, name=f"User {id}")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
