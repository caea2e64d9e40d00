// The booking page: changing the service or the day shows its times at once (the button does the same without script).
document.querySelectorAll('[data-autosubmit]').forEach(el => el.addEventListener('change', () => el.form.submit()));
