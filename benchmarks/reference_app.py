"""The benchmark's reference: one title and one small plotly chart, nothing else."""

import plotly.graph_objects as go
import streamlit as st

st.title("Reference")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2])))
