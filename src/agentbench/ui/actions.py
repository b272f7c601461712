"""Every action of the workbench, declared once: its key, footer label, help text and palette
entry. The App's BINDINGS, the help screen and the command palette all read this table.

An action named `x` runs `AgentbenchApp.action_x`. A row without a key is reached from the
palette only; a row without palette text has no palette entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    id: str = ""  # the binding id users remap with set_keymap ("app.<id>")
    key: str = ""
    description: str = ""  # the footer's label
    tooltip: str = ""  # the footer's tooltip and the help screen's text
    show: bool = True  # shown in the footer
    palette: str = ""
    detail: str = ""
    # The palette's text while what the action toggles is open (the editor).
    palette_open: str = ""

    def binding(self) -> Binding:
        return Binding(self.key, self.name, self.description, show=self.show,
                       id=f"app.{self.id}", tooltip=self.tooltip)


ACTIONS = (
    Action("help", "help", "f1,question_mark", "Help", "List every key"),
    Action("focus_filter", "filter", "slash", "Filter", "Filter the agent list"),
    Action("toggle_problems", "problems", "f2", "Problems", "Show or hide the problems panel",
           palette="Toggle problems panel", detail="Show or hide all diagnostics"),
    Action("toggle_variables", "variables", "f3", "Variables",
           "Show or hide the variables panel",
           palette="Toggle variables panel", detail="Show or hide placeholder values"),
    Action("next_view", "next_view", "f4", "Views",
           "Cycle the centre view: preview, source, graph"),
    Action("flow", "flow", "f5", "Flow",
           "Flow mode: walk the handoffs from the entry agent (f5 again returns)"),
    Action("edit", "edit", "ctrl+e", "Edit",
           "Edit the agent's file in place, beside its live preview",
           palette="Edit in place", palette_open="Close the editor",
           detail="The selected agent's file beside its live preview, linted as you type"
                  " (ctrl+e)"),
    Action("save_profile", "save_profile", "ctrl+s", "Save profile",
           "Save session values into the workspace file as a profile"),
    # Authoring (features/authoring.py): open in $EDITOR, undo the last write, new agent.
    Action("open_in_editor", "open_in_editor", "ctrl+o", "$EDITOR",
           "Open the agent's file in $VISUAL/$EDITOR at the selected problem",
           palette="Open in editor",
           detail="The selected agent's file in $VISUAL/$EDITOR (ctrl+o)"),
    Action("reload", "reload", "ctrl+r", "Reload",
           "Read the library again from disk (and follow files again)", show=False,
           palette="Reload from disk",
           detail="Read the library again, and follow files again if that had stopped"
                  " (ctrl+r)"),
    Action("undo_write", "undo_write", "ctrl+z", "Undo",
           "Undo the last change written from the workbench", show=False,
           palette="Undo last change",
           detail="Undo the last write made from the workbench (ctrl+z)"),
    Action("new_agent", "new_agent", "ctrl+n", "New agent", "Create a new agent file",
           show=False, palette="New agent…", detail="Create an agent file (ctrl+n)"),
    Action("focus_list", "focus_list", "escape", "Agents",
           "Back to the agent list (to the editor while it is open)", show=False),
    # Reached from the palette only.
    Action("show_preview", palette="Show preview", detail="The prompt as the model sees it"),
    Action("show_source", palette="Show source", detail="The file as written"),
    Action("show_graph", palette="Show graph", detail="The handoff graph"),
    Action("clear_session", palette="Clear session values",
           detail="Forget values typed in this session"),
    Action("rename_agent", palette="Rename agent…",
           detail="Rename the selected agent, its file and handoffs to it"),
    Action("edit_handoffs", palette="Edit handoffs…",
           detail="Add, edit, reorder or remove the selected agent's handoffs"),
)

# The palette lists these in this order, after the agents and profiles (the keys' order in
# the table is the footer's and the help screen's).
PALETTE_ORDER = ("toggle_problems", "toggle_variables", "show_preview", "show_source",
                 "show_graph", "clear_session", "new_agent", "rename_agent", "edit_handoffs",
                 "edit", "open_in_editor", "undo_write", "reload")

BY_NAME = {action.name: action for action in ACTIONS}


def bindings() -> list[Binding]:
    """The App's BINDINGS, in the table's order (the footer's and the help screen's)."""
    return [action.binding() for action in ACTIONS if action.key]


def palette_actions() -> list[Action]:
    return [BY_NAME[name] for name in PALETTE_ORDER]
