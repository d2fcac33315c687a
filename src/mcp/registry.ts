// The one tool registry: the MCP server and the chat agent both offer exactly these.
import { cancelReminderTool, listRemindersTool, setReminder } from './tools/reminders'
import { addTask, completeTaskTool, deleteTaskTool, getTaskTool, listTasks, reopenTaskTool, restoreTaskTool, updateTaskTool } from './tools/tasks'
import type { ToolDef } from './tool'

export const TOOLS: ToolDef[] = [
  addTask,
  listTasks,
  getTaskTool,
  updateTaskTool,
  completeTaskTool,
  reopenTaskTool,
  deleteTaskTool,
  restoreTaskTool,
  setReminder,
  listRemindersTool,
  cancelReminderTool,
] as unknown as ToolDef[]
