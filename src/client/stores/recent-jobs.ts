/** Jobs this browser ran or opened (Pinia, persisted to localStorage): the "Recent jobs" list. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import {
  RECENT_JOBS_MAX,
  loadRecentJobs,
  saveRecentJobs,
  type RecentJob,
} from '../components/recent-jobs/recent-jobs-storage.ts'

export const useRecentJobsStore = defineStore('recent-jobs', () => {
  const jobs = ref<RecentJob[]>(loadRecentJobs())

  /** Adds or moves a job to the top. An existing entry keeps its request and run mode when the new one has none. */
  function remember(entry: RecentJob): void {
    const old = jobs.value.find((j) => j.job_id === entry.job_id)
    const merged: RecentJob = {
      ...entry,
      request: entry.request ?? old?.request ?? null,
      label: old && !entry.request ? old.label : entry.label,
      run_mode: entry.run_mode ?? old?.run_mode,
    }
    jobs.value = [merged, ...jobs.value.filter((j) => j.job_id !== entry.job_id)].slice(0, RECENT_JOBS_MAX)
    saveRecentJobs(jobs.value)
  }

  function forget(jobId: string): void {
    jobs.value = jobs.value.filter((j) => j.job_id !== jobId)
    saveRecentJobs(jobs.value)
  }

  function find(jobId: string): RecentJob | undefined {
    return jobs.value.find((j) => j.job_id === jobId)
  }

  return { jobs, remember, forget, find }
})
