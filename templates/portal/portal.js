// Progressive help for the upload form; the form works without it.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.upload");
  if (!form) return;
  const input = form.querySelector("input[type=file]");
  const button = form.querySelector("button");
  const progress = form.querySelector(".progress");
  const error = document.createElement("p");
  error.className = "error";
  error.setAttribute("role", "alert");
  error.hidden = true;
  input.after(error);
  input.addEventListener("change", () => {
    const file = input.files[0];
    const tooLarge = file && file.size > Number(form.dataset.maxBytes);
    error.textContent = tooLarge ? form.dataset.tooLarge : "";
    error.hidden = !tooLarge;
    button.disabled = tooLarge;
  });
  form.addEventListener("submit", () => {
    button.disabled = true;
    progress.hidden = false;
  });
});
