"""A learner's browser tab without the browser: the app's pages driven over Streamlit's own websocket protocol.

The Streamlit frontend sends a ``BackMsg`` asking for a rerun with the widget values the learner changed and
receives the page as ``ForwardMsg`` deltas; this client does the same with the protobuf classes Streamlit ships, so
a load test measures what a learner waits for on a real `streamlit run` replica (the script run, Streamlit's own
work and the transport), at a fraction of a real browser's CPU. Widgets are found by their key, which Streamlit
puts at the end of a widget's id.
"""
from __future__ import annotations

import time

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

VERDICTS = ("Correct —", "Not quite:")


class PageSession:
    """One session (one tab) on the app at ``port``; ``elements`` holds the page of the last run."""

    def __init__(self, port: int, timeout: float = 60.0):
        self.timeout = timeout
        self.ws = connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                          origin=f"http://127.0.0.1:{port}", max_size=None, open_timeout=timeout)
        self.elements: list = []
        self.rerun()

    def close(self) -> None:
        self.ws.close()

    def rerun(self, **changed) -> float:
        """Send the widget values in ``changed`` (widget key -> value; ``True`` clicks a button) and wait for the
        page to finish, through any rerun the script asks for; the seconds that took."""
        return self._send([self._state(self.widget(key).id, value) for key, value in changed.items()])

    def submit_form(self, button_label: str, **values: str) -> float:
        """Submit a form: its fields' values and its submit button in one rerun, as the frontend sends them."""
        button = next(w for w in self.widgets() if getattr(w, "label", "") == button_label)
        return self._send([*(self._state(self.widget(k).id, v) for k, v in values.items()),
                           self._state(button.id, True)])

    @staticmethod
    def _state(widget_id: str, value: str | bool) -> WidgetState:
        state = WidgetState(id=widget_id)
        if value is True:
            state.trigger_value = True
        else:
            state.string_value = value
        return state

    def _send(self, states: list[WidgetState]) -> float:
        msg = BackMsg()
        msg.rerun_script.widget_states.widgets.extend(states)
        started = time.perf_counter()
        elements: list = []
        try:
            self.ws.send(msg.SerializeToString())
            while True:
                reply = ForwardMsg()
                reply.ParseFromString(self.ws.recv(timeout=self.timeout))
                kind = reply.WhichOneof("type")
                if kind == "new_session":  # a script run starts: the page is drawn again from the top
                    elements = []
                elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                    elements.append(reply.delta.new_element)
                elif kind == "script_finished" and reply.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    self.elements = elements
                    return time.perf_counter() - started
        except ConnectionClosed as exc:  # the replica went away
            raise ConnectionError(f"the app closed the connection ({exc})") from exc

    def widgets(self):
        for element in self.elements:
            widget = getattr(element, element.WhichOneof("type"))
            if getattr(widget, "id", ""):
                yield widget

    @staticmethod
    def key_of(widget) -> str:
        """The key the app gave ``widget`` (the end of its id: "$$ID-<hash>-<key>")."""
        return widget.id.split("-", 2)[-1]

    def widget(self, key: str):
        """The widget whose key is ``key``, or whose key starts with it followed by ``*`` ("pick_*")."""
        for w in self.widgets():
            name = self.key_of(w)
            if name == key or key.endswith("*") and name.startswith(key[:-1]):
                return w
        raise LookupError(f"no widget '{key}' on the page")

    def texts(self) -> list[str]:
        return [getattr(e, e.WhichOneof("type")).body for e in self.elements
                if e.WhichOneof("type") in ("alert", "markdown")]

    # ---- what a learner does on the Practise page ------------------------------------------------------------
    def open_practise(self, profile: str) -> None:
        """Create (or switch to) ``profile`` on the Settings page, then open the Practise page."""
        self.rerun(page="Settings")
        self.submit_form("Create and switch", settings_new_profile=profile)
        if not any(f"**{profile}**" in t for t in self.texts()):
            raise RuntimeError(f"the app did not switch to profile {profile!r}")
        self.rerun(page="Practise")

    def question(self) -> tuple[str, list[str]]:
        """The item id and options of the question on the page."""
        pick = self.widget("pick_*")
        return self.key_of(pick).removeprefix("pick_"), list(pick.options)

    def answer(self, option: int) -> tuple[bool, float]:
        """Pick ``option`` and submit: whether the page said it was right, and the seconds until it said so."""
        pick = self.widget("pick_*")
        took = self.rerun(**{self.key_of(pick): pick.options[option], "practise_submit": True})
        verdict = next((t for t in self.texts() if t.startswith(VERDICTS)), None)
        if verdict is None:
            raise RuntimeError("the page showed no verdict after the answer was submitted")
        return verdict.startswith(VERDICTS[0]), took

    def next_question(self) -> float:
        return self.rerun(practise_next=True)
