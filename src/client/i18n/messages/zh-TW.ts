import type { Messages } from './en.ts'

/** Traditional Chinese, the plant's language. */
export const zhTW: Messages = {
  app: {
    title: 'MES 批號追溯',
    tagline: '批號族譜與事件履歷',
    job: '工作',
  },
  layout: {
    foldForm: '收合查詢表單',
    unfoldForm: '展開查詢表單',
  },
  language: {
    label: '語言',
    'zh-TW': '繁體中文',
    en: 'English',
  },
}
